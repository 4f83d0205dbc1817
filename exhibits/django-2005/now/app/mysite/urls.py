"""The site's URLconf: it hands everything to the guestbook app."""

from django.urls import include, path

urlpatterns = [
    path("", include("mysite.guestbook.urls")),
]

handler404 = "mysite.guestbook.views.not_found"
handler500 = "mysite.guestbook.views.server_error"
