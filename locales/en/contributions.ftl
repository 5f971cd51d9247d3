## Sending contributions and questions to the team, and following what became of them.

topic-strategy = The strategy as a whole
topic-eservices = E-services for business

ctb-choose-topic = <b>Send a contribution</b>

    What is your contribution about?
ctb-topic-expected = Please choose a topic with the buttons first.
ctb-send-content =
    Topic: <b>{ $topic }</b>

    Now send your contribution: write text, and attach documents (PDF, Word, spreadsheets, presentations), photos or voice notes. You can send several messages. Press “Done” when you have finished.
ctb-text-added = Noted. Send more, or press “Done”.
ctb-file-added = File received. Send more, or press “Done”.
ctb-text-too-long = Your text is too long ({ $length } characters in all). A contribution can have up to { $limit } characters of text; attach a document for longer texts.
ctb-file-type = I cannot accept “{ $name }”. Please send PDF, Word, spreadsheet, presentation or plain text documents, photos or voice notes.
ctb-file-too-big = This file is too big ({ $size_mb } MB). Files can be up to { $limit_mb } MB.
ctb-too-many-files = A contribution can have up to { $limit } files. Press “Done” to send what you have.
ctb-unsupported = I can take text, documents, photos and voice notes. Please send one of those, or press “Done”.
ctb-empty = Please send some text or a file first.
ctb-summary =
    <b>Your contribution</b>
    Topic: { $topic }
    Files: { $files }

    { $text }

    Send it to the team?
ctb-add-more = Send more text or files, then press “Done”.
ctb-use-buttons = Please use the buttons: “Send”, “Add more” or “Cancel”.
ctb-sent =
    ✅ Thank you! Your contribution has been received.
    Reference: <b>{ $ref }</b>

    The team will review it, and you will be told here what became of it. See all you sent with /mysubmissions.
ctb-cancelled = Cancelled. Nothing was sent.
ctb-lost = This contribution is no longer open. Start again with /contribute.
ctb-command-in-form = You are in the middle of a contribution. Press “Done” to finish it, or send /cancel to stop.
ctb-banned = Sorry, you can no longer send contributions or questions through this bot.
ctb-rate-limited = You have sent { $limit } submissions in a short time. Please wait about { $minutes } minutes before sending more.
ctb-other-form-open = You are in the middle of another form. Finish it, or send /cancel, then send your contribution.
ctb-done-button = ✅ Done
ctb-send-button = 📨 Send
ctb-more-button = ➕ Add more
ctb-cancel-button = ✖️ Cancel
ctb-mine-button = 📋 My submissions

ask-sent =
    ✅ Your question has been sent to the team.
    Reference: <b>{ $ref }</b>

    Their answer will come to you here.

mine-title = <b>What you have sent</b>
mine-none = You have not sent anything yet. Use /contribute, or type a question.
mine-line = { $ref } · { $kind } · { $status }
mine-kind-contribution = contribution
mine-kind-question = question
mine-status-open = received
mine-status-claimed = being reviewed
mine-status-approved = accepted
mine-status-rejected = not accepted
mine-status-answered = answered

notify-contribution-approved = ✅ Your contribution <b>{ $ref }</b> has been accepted by the team. Thank you for taking part!
notify-contribution-rejected =
    Your contribution <b>{ $ref }</b> was not accepted.
    Reason: { $reason }
notify-question-approved = ✅ Your question <b>{ $ref }</b> has been accepted by the team.
notify-question-rejected =
    Your question <b>{ $ref }</b> was not taken up.
    Reason: { $reason }
notify-contribution-answer =
    💬 The team answered about your contribution <b>{ $ref }</b>:

    { $answer }
notify-question-answer =
    💬 The team answered your question <b>{ $ref }</b>:

    { $answer }

cmd-contribute = Send a contribution to the team
cmd-mysubmissions = What became of what I sent
cmd-cancel = Stop what you are doing
