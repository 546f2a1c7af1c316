"""工作台 (console home page): the user's to-do counters per center, recent unread messages and
announcements. The counters come from the registry in ``core.todos``; see ``selectors``."""
