## Long texts split across messages, refusals in the moderators' group, cards Telegram refused.

# Heads each further part of a text too long for one message.
safety-part = <b>{ $ref }</b> · part { $part } of { $parts }
mod-wrong-place = Moderators' buttons and commands work only in the moderators' group.
mod-missing-item = This item does not exist (any more).
mod-reply-empty = ⚠️ Nothing was sent to the sender: write the answer as text in your reply to the card.
safety-card-refused = ⚠️ Telegram refused the card of { $ref }. It was sent again as plain text below.
mod-answer-blocked = ⚠️ The answer to { $ref } did not reach the sender: they have blocked the bot.
mod-answer-failed = ⚠️ The answer to { $ref } could not be delivered to the sender.
