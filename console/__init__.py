"""Co-Response Console: the desktop tool that runs and protects a police co-responder unit."""

__version__ = "0.1.0"
APP_NAME = "Co-Response Console"
APP_ID = "coresponse-console"
