"""End-to-end tests in headless Chromium: the pages as a supervisor, a township clerk on a
phone and a leader see them."""
