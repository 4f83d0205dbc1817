from django.urls import path

from mysite.guestbook import views

urlpatterns = [
    path("", views.index, name="index"),
    path("hello", views.hello),
    path("hello/<str:name>", views.hello, name="hello"),
    path("guestbook", views.guestbook, name="guestbook"),
    path("guestbook/<int:entry_id>", views.entry, name="entry"),
    path("inspect", views.inspect),
    path("stream", views.stream),
    path("slow", views.slow),
    path("boom", views.boom),
]
