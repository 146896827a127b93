app_name = "budgeting"
urlpatterns = []
