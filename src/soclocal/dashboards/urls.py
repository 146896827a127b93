from django.urls import path

from . import views

app_name = "dashboards"
urlpatterns = [
    path("", views.board, name="board"),
    path("board.pdf", views.board_pdf, name="board_pdf"),
]
