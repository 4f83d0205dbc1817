from SitePage import SitePage

import guestbook27


class inspect(SitePage):
	"""The HTTPRequest that WebKit built from the dictionary mod_webkit sent it."""

	def writeHTML(self):
		request = self.request()
		environ = request.environ()
		# "Apache/2.4.67 (Debian) mod_webkit2/1.0": the front server says who it is.
		software, _, version = environ.get('SERVER_SOFTWARE', '').split(' ')[0].partition('/')
		self.writeJSON(guestbook27.document('native', software, version, {
			'method': request.method(),
			'path': guestbook27.utf8(request.uri().split('?')[0], 'replace'),
			'query': guestbook27.latin1(request.queryString()),
			'headers': guestbook27.cgi_headers(environ),
			'http_version': environ.get('SERVER_PROTOCOL', '').partition('/')[2],
			'scheme': environ.get('REQUEST_SCHEME', 'http'),
			'client': request.remoteAddress(),
		}, request))
