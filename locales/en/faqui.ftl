## Screens of the questions-and-answers feature (the entries themselves are in faq.ftl).

faqui-categories = <b>Questions and answers</b>

    Choose a topic, or just type your question in Khmer or English.
faqui-pick-question = Choose a question:
faqui-did-it-help = Did this help?
faqui-vote-yes = 👍 Yes
faqui-vote-no = 👎 No
faqui-thanks = Thank you for your feedback!
faqui-share = 🔗 Share this answer
faqui-open-in-bot = Open in the bot
faqui-suggest = I am not sure which question you mean. Is it one of these?
faqui-browse = ❓ Browse all questions
faqui-ask-team = ✉️ Send my question to the team
faqui-nothing =
    Sorry, I could not find an answer to that.
    Try other words, or browse the questions by topic.
    { $contact_email ->
        [none] Your question has been noted so that the team can add an answer.
       *[other] You can also write to the team at { $contact_email }.
    }
faqui-nothing-handover =
    Sorry, I could not find an answer to that.
    Try other words, browse the questions by topic, or press “Send my question to the team”: their answer will come back to you here.
faq-source =
    { $article_url ->
        [none] <i>Source: the article “Cambodia’s National AI Strategy: Charting a Smart and Inclusive Future”.</i>
       *[other] <i>Source: the article “<a href="{ $article_url }">Cambodia’s National AI Strategy: Charting a Smart and Inclusive Future</a>”.</i>
    }
