"""The bot's use cases: what each handler asks for, free of Telegram.

A handler reads the update, calls one of these, and words the typed result with `bot.texts`.

- `uploads`: `take_upload` (size, dedupe, download, numbering, parsing in a worker, storing;
  a roster by caption or by having no score column)
- `compiling`: `plan_compile`, `compile_chat`, `record_compile`
- `session`: `session_status`, `remove_test`, `reset_chat`, `give_maximum`, the settings,
  `note_chat`, `end_idle_sessions`
- `people`: `ask_about_look_alikes`, `answer_question`, `undo_answer`, `answers`,
  `chat_people` (the roster and answers a compile obeys), `remove_roster`
- `admin`: `admin_allowed`, `broadcast_recipients`, `create_broadcast`, `bot_stats`
- `backend`: what they all work with (settings, database, a `JobRunner`)
"""
