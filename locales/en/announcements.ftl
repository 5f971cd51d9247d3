## Announcements: an admin writes one in both languages; each person gets their own.

ann-unsubscribe = 🔕 Stop receiving: { $topic }

ann-ask-km =
    <b>New announcement</b> (step 1 of 5)

    Send the text in <b>Khmer</b>. Formatting (bold, italics, links) is kept. /cancel stops.
ann-ask-en = Step 2 of 5: now send the same text in <b>English</b>.
ann-ask-media = Step 3 of 5: send one photo or document to go with it, or press «No attachment».
ann-no-attachment = ➡️ No attachment
ann-ask-audience = Step 4 of 5: who should receive it?
ann-ask-kinds = Registered participants of which kinds? Tick them, then press «Send to these».
ann-kinds-done = ✅ Send to these
ann-audience-topic = Subscribers of «{ $topic }»
ann-audience-all = Everyone who opted in to any news
ann-audience-mode = Registered for { $event }
ann-audience-kinds = Registered participants: { $kinds }
ann-audience-choose-kinds = Registered participants of chosen kinds…
ann-ask-when =
    Step 5 of 5: when should it go? Press «Send now», or type a time in Cambodia's time, e.g. <code>2026-06-01 08:00</code> or <code>08:00</code>.
ann-send-now = 🚀 Send now
ann-when-now = now

ann-preview-km = 👇 What recipients who read Khmer will get:
ann-preview-en = 👇 What recipients who read English will get:
ann-preview-summary =
    <b>Check before sending</b>
    Audience: { $audience }
    Recipients in Khmer: { $km }
    Recipients in English: { $en }
    Total: { $total }
    When: { $when }
ann-confirm = ✅ Confirm
ann-discard = 🗑 Discard
ann-scheduled = 🕒 Scheduled for { $when } (Cambodia's time). Press «Cancel» to call it off.

ann-outcome-scheduled = Scheduled.
ann-outcome-started = Sending has started.
ann-outcome-paused = Paused.
ann-outcome-resumed = Sending again.
ann-outcome-cancelled = Cancelled: nothing more will be sent.
ann-outcome-discarded = The announcement was discarded.
ann-outcome-too-late = This announcement can no longer be changed that way.

ann-no-draft = There is no announcement being written. Start one with /announce.
ann-expected-km = Please send the Khmer text as a message (or /cancel).
ann-expected-en = Please send the English text as a message (or /cancel).
ann-expected-media = Please send one photo or document, or press «No attachment».
ann-expected-audience = Please choose the audience with the buttons.
ann-expected-when = Please press «Send now» or type a time such as <code>2026-06-01 08:00</code>.
ann-expected-preview = Please press «Confirm» or «Discard».

ann-problem-too-long = That text is too long for one message (at most 4096 characters). Please shorten it.
ann-problem-too-long-for-caption = With a photo or document the text is its caption: at most 1024 characters. Shorten the texts, or send without an attachment.
ann-problem-empty = The text is empty. Please send the text.
ann-problem-bad-time = I could not read that time. Please write it like <code>2026-06-01 08:00</code> or <code>08:00</code>.
ann-problem-past-time = That time has passed. Please give a time in the future.
ann-problem-bad-audience = That audience is not available. Please choose again.
ann-problem-no-recipients = Nobody is in that audience yet. Please choose another.

ann-status-scheduled = scheduled
ann-status-sending = sending
ann-status-paused = paused
ann-status-cancelled = cancelled
ann-status-done = finished
ann-progress =
    <b>Announcement</b>: { $status }
    Sent: { $sent } of { $total }
    Failed: { $failed }
    Blocked the bot: { $blocked }
    Remaining: { $remaining }
    Time left: about { $eta }
ann-pause = ⏸ Pause
ann-resume = ▶️ Resume
ann-cancel = ⏹ Cancel
ann-report =
    <b>Announcement #{ $id }: { $status }</b>
    Sent: { $sent } of { $total }
    Failed: { $failed }
    Blocked the bot: { $blocked }
    Not sent (cancelled): { $cancelled }
