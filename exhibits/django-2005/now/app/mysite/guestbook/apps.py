from django.apps import AppConfig


class GuestbookConfig(AppConfig):
    name = "mysite.guestbook"
    verbose_name = "Guestbook"
