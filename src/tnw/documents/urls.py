from django.urls import path

from tnw.documents import views

app_name = "documents"

urlpatterns = [
    path("episodes/<int:episode_id>/issue/<slug:kind>/", views.issue, name="issue"),
    path("<int:document_id>/download/", views.download, name="download"),
    path("<int:document_id>/preview/", views.preview, name="preview"),
    path("<int:document_id>/sign/", views.sign, name="sign"),
    path("print/", views.print_list, name="print"),
    path("print/<str:day>/send/", views.print_send, name="print_send"),
    path("print/batches/<int:batch_id>/", views.print_download, name="print_download"),
]
