# The project's distribution, as `paster create -t pyramid_starter guestbook` laid it out:
# `setup.py develop` registers it, and production.ini's `use = egg:guestbook` finds main()
# through its paste.app_factory entry point.
from setuptools import setup, find_packages

requires = ['pyramid']

setup(name='guestbook',
      version='0.0',
      description='guestbook',
      classifiers=[
        "Programming Language :: Python",
        "Framework :: Pylons",
        "Topic :: Internet :: WWW/HTTP",
        "Topic :: Internet :: WWW/HTTP :: WSGI :: Application",
        ],
      keywords='web pyramid pylons',
      packages=find_packages(),
      include_package_data=True,
      zip_safe=False,
      install_requires=requires,
      entry_points="""\
      [paste.app_factory]
      main = guestbook:main
      [paste.filter_app_factory]
      strict = guestbook.strict:make_filter
      """,
      paster_plugins=['pyramid'],
      )
