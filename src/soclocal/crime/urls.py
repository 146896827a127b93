app_name = "crime"
urlpatterns = []
