"""Domain rules and analytics: plain Python over SQLAlchemy sessions, no Qt."""
