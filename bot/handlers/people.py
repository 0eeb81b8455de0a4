"""Who is who: the "same person?" questions after a compile and their buttons, /people and its
undo buttons. The "Compile again" button is /compile's (bot/handlers/compiling.py).

Buttons carry the question's id only (`who:same:123`, `who:diff:123`, `who:undo:123`): Telegram
allows 64 bytes of callback data, and names and e-mails stay out of it.
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest

from bot import texts
from bot.context import BotContext
from bot.usecases.people import answer_question, answers, ask_about_look_alikes, undo_answer
from compiler import CompileReport
from storage import AnswerStatus, Verdict

CALLBACK_PREFIX = "who:"
COMPILE_AGAIN = "who:again"
VERDICT_DATA = {"same": Verdict.SAME, "diff": Verdict.DIFFERENT}
ANSWERS_SHOWN = 20  # answers listed by /people, each with its undo button
MAX_QUESTION_ID = 10**15  # far above any id SQLite hands out here; refuses absurd data


def question_keyboard(question_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(texts.SAME_BUTTON, callback_data=f"who:same:{question_id}"),
                InlineKeyboardButton(
                    texts.DIFFERENT_BUTTON, callback_data=f"who:diff:{question_id}"
                ),
            ]
        ]
    )


COMPILE_AGAIN_KEYBOARD = InlineKeyboardMarkup(
    [[InlineKeyboardButton(texts.COMPILE_AGAIN_BUTTON, callback_data=COMPILE_AGAIN)]]
)


async def send_questions(message: Message, context: BotContext, report: CompileReport) -> None:
    """After a compile: ask about its look-alike pairs, most likely first, one message each."""
    questions = await ask_about_look_alikes(context.services, message.chat_id, report)
    if not questions.asked:
        return
    await message.reply_text(texts.look_alikes_intro(questions))
    for number, asked in enumerate(questions.asked, start=1):
        await message.reply_text(
            texts.look_alike_question(asked.pair, number, len(questions.asked), report),
            reply_markup=question_keyboard(asked.question_id),
        )


def parse_button(data: str) -> tuple[str, int] | None:
    """`who:same:12` -> ("same", 12); None for data no button of ours carries."""
    parts = data.split(":")
    if len(parts) != 3 or parts[0] != "who" or parts[1] not in {*VERDICT_DATA, "undo"}:
        return None
    if not (parts[2].isascii() and parts[2].isdecimal()) or int(parts[2]) > MAX_QUESTION_ID:
        return None
    return parts[1], int(parts[2])


async def on_people_button(update: Update, context: BotContext) -> None:
    """A "same person" / "different people" button under a question, or an undo under /people."""
    query = update.callback_query
    assert query is not None and query.data is not None and query.message is not None
    parsed = parse_button(query.data)
    if parsed is None:
        await query.answer(texts.CHOICE_GONE)
        return
    action, question_id = parsed
    if action == "undo":
        await _undo(update, context, question_id)
    else:
        await _answer(update, context, question_id, VERDICT_DATA[action])


async def _answer(update: Update, context: BotContext, question_id: int, verdict: Verdict) -> None:
    """Keep the answer, show it in place of the buttons; offer a new compile after the last."""
    query = update.callback_query
    assert query is not None and query.message is not None
    chat_id = query.message.chat.id
    outcome = await answer_question(
        context.services, chat_id, question_id, verdict, query.from_user.id
    )
    await query.answer(texts.answer_toast(outcome))
    message = query.message if isinstance(query.message, Message) else None
    shown = message.text if message is not None else None
    if message is not None and message.reply_markup is not None:  # its buttons still show
        if outcome.question is None or outcome.status is AnswerStatus.GONE:
            await query.edit_message_text(texts.question_gone(shown, outcome.question))
        else:
            await query.edit_message_text(texts.question_answered(shown, outcome.question))
    if outcome.status is AnswerStatus.STORED and outcome.open_left == 0:
        await context.bot.send_message(
            chat_id, texts.ALL_ANSWERED, reply_markup=COMPILE_AGAIN_KEYBOARD
        )


async def on_people(update: Update, context: BotContext) -> None:
    """/people: the answers in force, each with a button to undo it."""
    message = update.effective_message
    assert message is not None
    text, keyboard = await _people_list(context, message.chat_id)
    await message.reply_text(text, reply_markup=keyboard)


async def _undo(update: Update, context: BotContext, question_id: int) -> None:
    """Forget one answer and redraw the list."""
    query = update.callback_query
    assert query is not None and query.message is not None
    chat_id = query.message.chat.id
    undone = await undo_answer(context.services, chat_id, question_id, query.from_user.id)
    await query.answer(texts.UNDONE if undone is not None else texts.NOT_UNDONE)
    text, keyboard = await _people_list(context, chat_id)
    try:
        await query.edit_message_text(text, reply_markup=keyboard)
    except BadRequest as exc:  # a second press of a button already undone: the list stands
        if "not modified" not in str(exc):
            raise


async def _people_list(
    context: BotContext, chat_id: int
) -> tuple[str, InlineKeyboardMarkup | None]:
    decided = await answers(context.services, chat_id)
    shown = decided[:ANSWERS_SHOWN]
    buttons = [
        InlineKeyboardButton(texts.undo_button(number), callback_data=f"who:undo:{q.id}")
        for number, q in enumerate(shown, start=1)
    ]
    rows = [buttons[i : i + 4] for i in range(0, len(buttons), 4)]
    keyboard = InlineKeyboardMarkup(rows) if rows else None
    return texts.people_list(decided, ANSWERS_SHOWN), keyboard
