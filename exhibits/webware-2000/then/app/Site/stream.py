import time

from SitePage import SitePage

import guestbook27


class stream(SitePage):
	"""Lines sent as they are written: response().flush() sends what is buffered and makes
	the stream flush itself from then on."""

	def writeHTML(self):
		try:
			chunks, delay = guestbook27.stream_params(
				self.param('chunks'), self.param('delay_ms'))
		except guestbook27.Invalid as error:
			self.writeError(400, error.message, error.field)
			return
		response = self.response()
		response.setHeader('Content-type', 'text/plain; charset=utf-8')
		for index in range(1, chunks + 1):
			if index > 1:
				time.sleep(delay / 1000.0)
			self.write(guestbook27.stream_line(index, chunks).encode('utf-8'))
			response.flush()
