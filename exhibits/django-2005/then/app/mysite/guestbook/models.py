from django.db import models


class Entry(models.Model):
    name = models.CharField(max_length=64)
    message = models.TextField()
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ('-id',)
        verbose_name_plural = 'entries'

    def __unicode__(self):
        return u'%s: %s' % (self.name, self.message[:40])

    def get_absolute_url(self):
        return '/guestbook/%d' % self.id

    def as_dict(self):
        created = self.created
        return {'id': self.id, 'name': self.name, 'message': self.message,
                'created': u'%s.%03dZ' % (created.strftime('%Y-%m-%dT%H:%M:%S'),
                                          created.microsecond // 1000)}
