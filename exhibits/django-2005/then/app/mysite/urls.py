from django.conf.urls.defaults import *

handler404 = 'guestbook.views.not_found'
handler500 = 'guestbook.views.server_error'

urlpatterns = patterns('',
    (r'^$', 'guestbook.views.index'),
    (r'^hello$', 'guestbook.views.hello'),
    (r'^hello/(?P<name>.+)$', 'guestbook.views.hello'),
    (r'^guestbook$', 'guestbook.views.guestbook'),
    (r'^guestbook/(?P<entry_id>\d+)$', 'guestbook.views.entry'),
    (r'^inspect$', 'guestbook.views.inspect'),
    (r'^stream$', 'guestbook.views.stream'),
    (r'^slow$', 'guestbook.views.slow'),
    (r'^boom$', 'guestbook.views.boom'),
)
