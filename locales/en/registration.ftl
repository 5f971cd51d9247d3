## Registering to take part: consent, the form, the summary, /profile, and the moderators' cards.

cmd-register = Register to take part in the strategy
cmd-profile = Your registration: see, change or withdraw

## Consent

reg-notice =
    <b>Register to take part in drafting Cambodia's National AI Strategy</b>

    The Ministry of Post and Telecommunications invites experts, the private sector, academic and research institutions and development partners to take part in developing the strategy. To register, the bot asks you, one question at a time:
    • in what capacity you take part, your full name, organisation and position;
    • the areas that interest you and how you want to take part;
    • your e-mail address and, if you wish, a phone number.

    <b>Why:</b> so that the team can contact you about the stakeholder consultations, the national workshop, or your written input.
    <b>Who sees it:</b> only the moderators of the team running this bot.
    <b>How long:</b> until you withdraw (/profile) or delete it (/deleteme). /mydata shows everything stored about you.

    Nothing is stored until you press “I agree”. The time you agree and the version of this notice ({ $version }) are recorded.
reg-agree = ✅ I agree
reg-cancel = ✖️ Cancel
reg-consent-recorded = Thank you, your consent is recorded.
reg-consent-needed = Please press “I agree” to continue, or “Cancel”. Nothing is stored until you agree.

## The questions

reg-progress = <i>Question { $number } of { $total }</i>
reg-ask-kind = <b>In what capacity are you taking part?</b> Choose what fits best.
reg-ask-name = <b>What is your full name?</b>
reg-ask-organisation = <b>Which organisation do you represent?</b> The company, institution, organisation or body.
reg-ask-organisation-individual = <b>Which organisation do you work for?</b> If you take part as an individual expert without an organisation, press “I have none”.
reg-no-organisation = I have none
reg-ask-position = <b>What is your position or title?</b> For example: researcher, director, consultant.
reg-ask-interests = <b>Which areas interest you?</b> Choose one or more, then press “Done”.
reg-ask-modes = <b>How do you want to take part?</b> Choose one or more, then press “Done”.
reg-ask-email = <b>What is your e-mail address?</b> The team will use it to contact you.
reg-ask-phone = <b>Your phone number</b> (optional). Press “Share my phone number” below to send the number of this Telegram account, type another number (for example 012 345 678 or +855 12 345 678), or press “No phone number”.
reg-share-phone = 📱 Share my phone number
reg-no-phone = No phone number
reg-done = ✔️ Done
reg-phone-saved = 📱 Phone number saved.
reg-phone-skipped = Understood: no phone number.
reg-going-back = ⬅️ Back to the previous question.
reg-current = Current answer: { $value }
reg-no-answer = —
reg-continue = You are registering. Here is the question you are at:

reg-field-kind = Taking part as
reg-field-name = Full name
reg-field-organisation = Organisation
reg-field-position = Position
reg-field-interests = Interests
reg-field-modes = Taking part
reg-field-email = E-mail
reg-field-phone = Phone

reg-kind-expert = Individual expert
reg-kind-company = Private sector company
reg-kind-academic = Academic or research institution
reg-kind-partner = Development partner
reg-kind-civil_society = Civil society organisation
reg-kind-government = Government body
reg-kind-other = Other

reg-interest-education = Education
reg-interest-health = Health
reg-interest-agriculture = Agriculture
reg-interest-governance = Public services and governance
reg-interest-business = Business and industry
reg-interest-ethics = Ethics and regulation
reg-interest-data = Data and infrastructure
reg-interest-skills = Skills and research

reg-mode-may_consultations = Stakeholder consultations ({ event-consultations-when })
reg-mode-june_workshop = National workshop ({ event-workshop-when })
reg-mode-written_input = Written input

## Summary and confirmation

reg-summary-new = <b>Please check your details</b>
reg-summary-registered =
    <b>Your registration { $reference }</b>
    Change what you need, then press “Confirm”.
reg-summary-hint = Press ✏️ to change an answer, or “Confirm” to register.
reg-confirm = ✅ Confirm
reg-confirmed =
    ✅ <b>Thank you, you are registered.</b>
    Your reference number: <b>{ $reference }</b>

    <b>What happens next:</b> the team's moderators check your details, and this bot tells you here when they are verified. The team may then contact you by e-mail about the consultations, the national workshop or written input, as you chose.

    See or change your details at any time with /profile; /mydata shows everything stored about you.
reg-updated =
    ✅ <b>Your registration { $reference } is updated.</b>
    The moderators will check the new details; this bot tells you here when they are verified.
reg-unchanged = Nothing changed: your registration { $reference } stays as it was.
reg-already-confirmed = ✅ You are registered. Your reference number: <b>{ $reference }</b>. See your details with /profile.
reg-already-confirmed-short = You are already registered ({ $reference }). See /profile.

## Leaving, and answers that do not fit

reg-cancelled = Cancelled. Nothing of this form was kept.
reg-cancelled-registered = Cancelled. Your registration { $reference } stays as it was.
reg-expired = This form is no longer open. Send /register to start again.
reg-nothing-to-cancel = There is nothing to cancel.
reg-error-too-long = That is too long ({ $length } characters). Please keep it to { $limit } characters or fewer.
reg-error-too-short = That is too short. Please type at least { $minimum } characters.
reg-error-characters = That contains characters that cannot be stored. Please type it again.
reg-error-letters = Please use letters, not only numbers or signs.
reg-error-email = “{ $value }” is not an e-mail address. It should look like name@example.com. Please type it again.
reg-error-phone = That does not look like a phone number. Type it like 012 345 678 or +855 12 345 678 (or with another country code), share it with the button, or press “No phone number”.
reg-error-contact-not-yours = That is someone else's contact. Please share your own number with the button, or type it.
reg-error-not-text = Please answer with text: photos, stickers, files and voice messages cannot be used here.
reg-error-use-buttons = Please answer with the buttons below.
reg-error-choose-one = Choose at least one, then press “Done”.
reg-error-command = You are in the middle of registering. Answer the question above, or send /cancel to stop.
reg-error-edited = Editing a message you already sent does not change your answer. You can change any answer on the summary at the end.
reg-error-old-button = That button belongs to an earlier question. Please answer the latest question.
reg-error-finish-first = You are registering: answer the question, or send /cancel first.
reg-error-form-closed = This form is closed. Send /register to start again.
reg-other-form-open = You are in the middle of another form. Finish it, or send /cancel, then register.

## Status

reg-status-confirmed = registered, waiting for the team to verify
reg-status-verified = verified by the team
reg-status-withdrawn = withdrawn
reg-status-erased = deleted

## The moderators' group

reg-card-new = 📝 <b>New registration { $reference }</b>
reg-card-updated = ✏️ <b>Updated registration { $reference }</b> (version { $revision })
reg-card-title = 📝 <b>Registration { $reference }</b> (version { $revision })
reg-card-language = Language
reg-card-verified = ✅ Verified by { $moderator }
reg-card-superseded = Registration { $reference }: this version was replaced by a newer one, posted below.
reg-card-withdrawn = Registration { $reference } was withdrawn; its details were deleted.
reg-card-erased = Registration { $reference }: the person deleted their data; the details were removed.
reg-verify = ✅ Verify
reg-verify-refused = Only the team's moderators can verify registrations.
reg-verify-done = Verified. The person will be told.
reg-verify-already = This registration is already verified.
reg-verify-stale = A newer version of this registration was posted. Please verify that one.
reg-verify-inactive = This registration was withdrawn or deleted.
reg-verify-missing = This registration does not exist.
reg-verified-notice = ✅ Your registration { $reference } has been verified by the team. Thank you for taking part in drafting Cambodia's National AI Strategy.

## /profile

profile-title =
    <b>Your registration { $reference }</b>
    Status: { $status }
profile-hint = Press ✏️ to change an answer. “Withdraw” ends your registration and deletes these details.
profile-withdraw = ↩️ Withdraw
profile-none = You are not registered. Register to take part in drafting the strategy:
profile-withdraw-confirm =
    <b>Withdraw registration { $reference }?</b>

    You will no longer take part, and your details (name, organisation, position, interests, e-mail, phone) are deleted. The reference number stays: if you register again, you keep it.
profile-withdraw-yes = ↩️ Yes, withdraw
profile-keep = Keep my registration
profile-withdrawn = ↩️ Your registration { $reference } is withdrawn and its details are deleted. You can register again at any time with /register.
profile-nothing-to-withdraw = There is no registration to withdraw.
