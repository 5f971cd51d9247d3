## Moderators link a question the FAQ could not answer to an FAQ entry.

faqlearn-btn-link = 🔗 Answer with the FAQ
faqlearn-pick = Choose the FAQ answer for { $ref } under its card. The sender receives it in their language, and the FAQ learns the question.
faqlearn-linked = { $ref } answered with “{ $question }”; the FAQ now knows this question.
faqlearn-not-question = Only a question can be answered with the FAQ.
faqlearn-answer-intro = Your question { $ref } has an answer in the FAQ:
