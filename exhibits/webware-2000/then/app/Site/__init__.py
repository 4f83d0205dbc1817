"""The guestbook's context: its servlets are the .py and .psp files in this folder."""

import sys

from WebKit.ExceptionHandler import ExceptionHandler as _ExceptionHandler


class ExceptionHandler(_ExceptionHandler):
	"""WebKit's handler, minus the 4 KB of comments its public page adds to keep old MSIE
	from showing a page of its own."""

	def work(self):
		self.logExceptionToConsole() # the traceback, on stderr: the container's log
		response = self._res
		if response and not response.isCommitted():
			response.reset()
			response.setStatus(500, 'Internal Server Error')
			response.write(self.publicErrorPage())


def contextInitialize(application, path):
	application._exceptionHandlerClass = ExceptionHandler
