## /mydata and /deleteme: everything the bot stores about a person, and erasing it.

cmd-mydata = Everything the bot stores about you
cmd-deleteme = Delete your data

mydata-show-button = 📄 Show my data
mydata-delete-button = 🗑 Delete my data

## The export

mydata-title = <b>What the bot stores about you</b>
mydata-telegram-id = Your Telegram id: { $id }
mydata-user =
    Language: { $language }
    First message: { $first }
    Latest message: { $last }
mydata-no-choice = not chosen (taken from your Telegram app)
mydata-registration = <b>Registration { $reference }</b>: { $status }
mydata-draft = An unfinished registration form, started { $started }.
mydata-consent = Consent to privacy notice { $version }: given { $given }.
mydata-consent-withdrawn = Consent to privacy notice { $version }: given { $given }, withdrawn { $withdrawn }.
mydata-messages = Notifications to you kept in the outbox: { $count }
mydata-audit = Entries about you in the team's log of actions: { $count }
mydata-other = { $name }: { $count } (see the file)
mydata-footer = The file { $file } below holds all of it. Delete it with /deleteme.
mydata-file-caption = Everything the bot stores about you, as a file (JSON).

## Erasing

mydata-erase-confirm =
    <b>Delete your data?</b>

    This deletes your registration details, your unfinished forms, your language choice and the notifications kept for you, and ends your consent.
    What must remain for the record stays, without your name or contact: your registration's reference number, the record that consent was given and withdrawn, and the team's log of actions. You will be told exactly what remains.

    This cannot be undone.
mydata-erase-yes = 🗑 Yes, delete my data
mydata-keep = Keep my data
mydata-erase-expired = This button is too old. Send /deleteme again.
mydata-kept = Nothing was deleted.
mydata-erased = 🗑 <b>Your data has been deleted.</b>
mydata-remains-title = <b>What remains:</b>
mydata-remains-registration = the reference number { $reference } with its dates and the status “deleted”: no name, organisation, position, interests or contacts. The moderators' copies were edited to remove your details;
mydata-remains-consents =
    { $count ->
        [one] one consent record
       *[other] { $count } consent records
    }: the privacy notice version and when consent was given and withdrawn, no longer linked to your Telegram account;
mydata-remains-audit =
    { $count ->
        [one] one entry
       *[other] { $count } entries
    } in the team's log of actions (such as “registration confirmed”), without your name, contact or Telegram id;
mydata-remains-contributions-kept =
    { $count ->
        [one] one contribution the team had accepted
       *[other] { $count } contributions the team had accepted
    }: they are part of the consultation's record, so their text stays, no longer linked to you or to any name. Everything else you sent was deleted, and taken down in the moderators' group;
mydata-remains-ban = the ban on sending contributions from this Telegram account, which the moderators set;
mydata-remains-anonymous = statistics that were never linked to you: votes on FAQ answers and questions the FAQ could not answer;
mydata-remains-chat = the messages in this chat, in your Telegram app, until you delete the chat. If you write to the bot again, it stores your Telegram id again to answer you.
