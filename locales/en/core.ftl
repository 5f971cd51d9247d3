## Greeting, menu, language, help, privacy and the answers to what the bot does not understand.

lang-name-km = ខ្មែរ
lang-name-en = English

start-greeting =
    Welcome! Here you can follow and take part in drafting <b>Cambodia's National AI Strategy</b>, which the Ministry of Post and Telecommunications is preparing with the support of UN-ESCAP. You can also learn about the <b>Strategy on the Development of Electronic Services for Business 2025–2028</b>.

    Choose what you want to do below, or just type your question.
start-switch-hint = Prefer English? Press “English” below.
start-choose-language = Choose your language:
language-prompt = Which language do you want to use?
language-changed = The bot will now speak English with you.

menu-title = What would you like to do?
menu-faq = ❓ Questions and answers
menu-register = 📝 Register to take part
menu-contribute = 💬 Send a contribution
menu-mydata = 🔒 My data and privacy
menu-language = 🌐 ភាសា / Language
nav-home = 🏠 Home
nav-back = ⬅️ Back

help-text =
    <b>What this bot can do</b>

    { $features }

    Commands:
    { $commands }

    You can write in Khmer or English.
help-feature-faq = ❓ Answer your questions about the strategies — browse the menu or type a question.
help-feature-register = 📝 Register experts and partners who want to take part.
help-feature-contribute = 💬 Pass your contributions and questions to the team.
help-feature-mydata = 🔒 Show and delete the data the bot stores about you.
help-feature-language = 🌐 Speak Khmer or English.

privacy-text =
    <b>Your data and privacy</b>

    <b>What the bot stores:</b> your Telegram id and the language you chose, so it can answer you in your language. If you register to take part, also the details you give after you agree to it. Messages you send to the team are stored so that moderators can review and answer them.
    <b>Why:</b> to answer you and to let the ministry's team consider your input to the strategy.
    <b>Who sees it:</b> only the moderators of the team running this bot.
    <b>How long:</b> until you delete it.
    <b>What it does not store:</b> your name, username or phone number, unless you give them when registering.
privacy-commands = See everything stored about you with /mydata and delete it with /deleteme.

fallback-unknown = Sorry, I did not understand that. Choose from the menu, or type your question in words.
fallback-unsupported = I can only read text messages here. Please type your question in words, or choose from the menu.
fallback-group = Please write to me in a private chat.
fallback-edited = I answered your message as you first sent it; changes made afterwards do not reach me. Please send it again if you changed it.
callback-expired = This button is no longer valid. Please use the menu again.
error-generic = Sorry, something went wrong on our side. Please try again in a moment.
text-too-long = Your message is too long ({ $length } characters). Please keep it under { $limit } characters.
text-invalid = Your message contains characters I cannot read. Please type it again.

event-consultations-when =
    { $consultation_dates ->
        [none] dates to be announced
       *[other] { $consultation_dates }
    }
event-workshop-when =
    { $workshop_date ->
        [none] date to be announced
       *[other] { $workshop_date }
    }

cmd-start = Main menu
cmd-help = What this bot can do
cmd-language = Change the language
cmd-privacy = What the bot stores about you
flood-slow-down = You are sending messages very fast. Please wait a minute before you send more.
