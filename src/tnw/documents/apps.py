from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "tnw.documents"
    label = "documents"
    verbose_name = "Documents (letters and model forms)"

    def ready(self) -> None:
        # The outbox asks this app for an e-mail's PDF when it sends it (rendered lazily).
        from tnw.documents.services import attachment_for
        from tnw.notifications.attachments import register

        register("document", attachment_for)
