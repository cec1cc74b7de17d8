from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    """The public TNW contact directory of the mutualities (seed 001), at /contact/."""

    name = "tnw.directory"
    label = "directory"
