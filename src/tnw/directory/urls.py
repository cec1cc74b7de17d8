from django.urls import path

from tnw.directory import views

app_name = "directory"

urlpatterns = [path("", views.contact_directory, name="contacts")]
