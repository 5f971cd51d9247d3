## FAQ content: category labels, questions and answers.
## Facts come only from the seed article; where it is silent the answer says so.
## Every answer receives $obr_url and $contact_email (the string "none" when not configured).
## How people ask each question (the matcher's phrasings) lives in bot/faq/phrasings/, not here.

## Categories

faq-cat-strategy = AI Strategy
faq-cat-participate = Take part
faq-cat-eservices = E-services for business
faq-cat-policies = Related policies
faq-cat-bot = This bot and your data

## The National AI Strategy

faq-nais_what-q = What is Cambodia's National AI Strategy?
faq-nais_what-a =
    Cambodia's <b>National Artificial Intelligence Strategy</b> is a national strategy for AI that the country is drafting now, as part of its wider digital transformation agenda.
    The Ministry of Post and Telecommunications (MPTC) leads the work, with guidance and support from UN-ESCAP. The draft covers a vision, the AI ecosystem, strategic priorities and implementation mechanisms. It aims to make AI serve Cambodia's economic and social development, used in an inclusive, responsible and ethical way.
    { faq-source }

faq-nais_why-q = Why does AI matter for Cambodia?
faq-nais_why-a =
    AI is seen as a critical enabler for everything from <b>education and healthcare to governance and business</b>, and it is expected to redefine education, healthcare, agriculture and governance.
    Companies already use AI and digital technologies to cut costs, streamline their operations and serve their customers better. In the public sector, AI-driven systems can reduce bureaucracy, improve regulatory compliance and deliver services better.
    The strategy is meant to make sure Cambodia is not left behind in the Fourth Industrial Revolution, and that AI is used inclusively and responsibly.
    { faq-source }

faq-nais_goal-q = What is the strategy's goal?
faq-nais_goal-a =
    The overarching goal is to <b>maximise the benefits and minimise the negative impacts of AI</b>, thereby contributing to Cambodia's economic and social development.
    The strategy wants AI to be used in an inclusive, responsible and ethical way, so that Cambodia becomes not just a user of AI technology but a thoughtful and ethical leader in its region. The drafting also aims to keep the strategy consistent with the national policy agenda and aligned with regional and international trends.
    { faq-source }

faq-nais_lead-q = Who leads the development of the National AI Strategy?
faq-nais_lead-a =
    The <b>Ministry of Post and Telecommunications (MPTC)</b> is the lead ministry for drafting the National AI Strategy.
    UN-ESCAP's leadership has expressed strong support for the draft, with MPTC serving as the lead ministry. The workshop on the draft was presided over by Keo Sothie, Secretary of State of the MPTC.
    { faq-source }

faq-nais_escap-q = What is UN-ESCAP's role?
faq-nais_escap-a =
    The <b>United Nations Economic and Social Commission for Asia and the Pacific (UN-ESCAP)</b> provides guidance and support to the work.
    The draft has gone through two rounds of technical consultation with UN-ESCAP experts, and UN-ESCAP experts took part in the workshop on the draft. Tiziana Bonapace, Director of the ICT and Disaster Risk Reduction Division at UN-ESCAP, attended the workshop and spoke of the strong support of UN-ESCAP's leadership for the draft, with MPTC as lead ministry.
    { faq-source }

faq-nais_people-q = Who took part and who spoke?
faq-nais_people-a =
    The workshop on the draft strategy was presided over by <b>Keo Sothie</b>, Secretary of State of the MPTC, and attended by <b>Tiziana Bonapace</b>, Director of the ICT and Disaster Risk Reduction Division at UN-ESCAP. MPTC officials, UN-ESCAP experts, international consultants and policymakers took part.
    At the launch of the Ministry of Economy and Finance's e-services strategy for business, Deputy Prime Minister <b>Aun Pornmoniroth</b> said that digital technology, particularly recent advances in AI, has become an essential part of everyday life, education, business and public service delivery. Deputy Prime Minister <b>Hun Many</b> called the launch an important step toward modernising Cambodia's public administration.
    { faq-source }

faq-nais_process-q = How is the strategy being drafted?
faq-nais_process-a =
    Drafting began more than a year ago with <b>12 internal meetings</b> within the MPTC.
    A workshop then brought together MPTC officials, UN-ESCAP experts, international consultants and policymakers to discuss the draft's vision, AI ecosystem, strategic priorities and implementation mechanisms.
    The draft has gone through <b>two rounds of technical consultation</b> with UN-ESCAP experts and has been refined into a <b>second version</b>. Wider consultations and a national-level workshop come next.
    { faq-source }

faq-nais_events-q = When are the consultations and national workshop?
faq-nais_events-a =
    The next stage is consultations with ministries, institutions, higher education and all relevant stakeholders, followed by a national-level workshop that will provide the final platform for consensus and endorsement.
    • <b>Consultations:</b> { event-consultations-when }
    • <b>National workshop:</b> { event-workshop-when }
    The article below placed the consultations in May and the workshop in June, without a year or exact dates. If you want to know more, send your question and I will pass it to the team.
    { faq-source }

faq-nais_status-q = Is the National AI Strategy finished? Where can I read it?
faq-nais_status-a =
    Not yet. The strategy is still a <b>draft</b>: after two rounds of technical consultation it is in its <b>second version</b>, and further consultations and a national-level workshop for consensus and endorsement are still to come.
    It has not yet been endorsed or published, so there is no final text to read, and the article below gives no link to the draft. If you want to know more, send your question and I will pass it to the team.
    { faq-source }

## Taking part

faq-nais_participate-q = How can I take part in the strategy?
faq-nais_participate-a =
    The ministry invites <b>experts, the private sector, academic and research institutions, and development partners</b> who are interested to take part in developing the strategy. Stakeholders from government, academia, business and civil society are all encouraged to join.
    In this bot: first register with /register, then send your ideas, comments or documents with /contribute. Moderators of the ministry's team review every contribution.
    { faq-source }

faq-part_register-q = How do I register in this bot?
faq-part_register-a =
    Send <b>/register</b>, or press the register button in the menu. The bot first explains what it will store and asks for your consent; only if you agree does it ask for your registration details.
    You can change your mind at any time: /mydata shows everything stored about you and /deleteme deletes it. Once registered, you can send contributions with /contribute and follow them with /mysubmissions.

faq-part_contribute-q = How do I send a contribution?
faq-part_contribute-a =
    Send <b>/contribute</b>, or press the contribution button in the menu, and follow the steps. You can send text, documents, photos or voice messages with your ideas or comments on the strategy.
    When your contribution is received you get a <b>reference number</b>; keep it to follow your contribution. If you have not registered yet, start with /register.

faq-part_after-q = What happens after I send a contribution?
faq-part_after-a =
    Moderators of the ministry's team review every contribution. You are told here in this chat when it is approved or rejected, or when the team answers it.
    Send <b>/mysubmissions</b> to see your contributions, their reference numbers and their status. Keep your reference number: it identifies your contribution if you ask the team about it.

## E-services for business

faq-es_what-q = What is the e-services strategy for business?
faq-es_what-a =
    The <b>Strategy on the Development of Electronic Services for Business 2025–2028</b> was launched by the Ministry of Economy and Finance (MEF) to deliver public services to businesses digitally.
    Deputy Prime Minister Aun Pornmoniroth called it a deep reform of public service delivery for businesses: it reviews and adjusts service fees, and eliminates or consolidates low-value or overlapping procedures.
    It is separate from the National AI Strategy but part of the same digital effort.
    { faq-source }

faq-es_target-q = What is the target of the e-services strategy for business?
faq-es_target-a =
    The Strategy on the Development of Electronic Services for Business 2025–2028 aims to digitise <b>up to 80 percent of high-demand, low-complexity services by 2028</b>, to streamline the delivery of public services to businesses.
    The article below does not say which services are counted or which come first. Send your question and I will pass it to the team.
    { faq-source }

faq-es_committees-q = Which committees govern the e-services strategy for business?
faq-es_committees-a =
    Three major coordinating bodies govern it: the <b>Digital Economy and Business Committee</b>, the <b>Digital Government Committee</b> and the <b>Public Administration Reform Committee</b>.
    Together they are meant to ensure a unified digital ecosystem for the Strategy on the Development of Electronic Services for Business 2025–2028, launched by the Ministry of Economy and Finance.
    { faq-source }

faq-es_which_services-q = Which services go online first?
faq-es_which_services-a =
    The strategy focuses on <b>high-demand, low-complexity</b> services, aiming to digitise up to 80 percent of them by 2028.
    The article below does not list which services come first, or when each one will be online. Send your question and I will pass it to the team.
    { faq-source }

faq-obr_how-a =
    Businesses can register through the <b>Online Business Registration (OBR)</b> system.
    { $obr_url ->
        [none] The article below gives no web address for it. Send your question and I will pass it to the team, who can tell you where to register.
       *[other] You can register at: { $obr_url }
    }
    This bot cannot register a business for you.
    { faq-source }
faq-obr_how-q = How do I register a business online?

faq-obr_stats-q = How many businesses registered online?
faq-obr_stats-a =
    As of <b>December 2024</b>, over <b>42,000 enterprises</b> had registered through the Online Business Registration (OBR) system, with a total investment of <b>15.6 billion US dollars</b>.
    This is seen as a sign of growing trust in digital platforms among Cambodian entrepreneurs and foreign investors.
    { faq-source }

## Related policies

faq-pol_related-q = Which policies is the e-services strategy for business aligned with?
faq-pol_related-a =
    The Strategy on the Development of Electronic Services for Business 2025–2028 is aligned with three national frameworks: <b>Pentagonal Strategy – Phase 1</b>, the <b>Cambodia Digital Economy and Society Policy Framework 2021–2035</b> and the <b>Cambodia Digital Government Policy 2022–2035</b>.
    The National AI Strategy is being drafted to be consistent with the national policy agenda and Cambodia's national digital development framework.
    { faq-source }

faq-pol_despf-q = What is the Digital Economy and Society Policy Framework?
faq-pol_despf-a =
    The <b>Cambodia Digital Economy and Society Policy Framework 2021–2035</b> is the long-term national framework for Cambodia's digital economy and society. The Strategy on the Development of Electronic Services for Business 2025–2028 is aligned with it.
    The article below says nothing more about its content. If you want to know more, send your question and I will pass it to the team.
    { faq-source }

faq-pol_dgp-q = What is the Digital Government Policy 2022–2035?
faq-pol_dgp-a =
    The <b>Cambodia Digital Government Policy 2022–2035</b> is the national policy for digital government. The Strategy on the Development of Electronic Services for Business 2025–2028 is aligned with it.
    The article below says nothing more about its content. If you want to know more, send your question and I will pass it to the team.
    { faq-source }

## This bot and your data

faq-privacy-q = Is my data private? What do you store?
faq-privacy-a =
    The bot stores your <b>Telegram id and chosen language</b>; your <b>registration details</b>, only after you give explicit consent; your <b>contributions</b> and the questions you choose to send to the team; and questions the FAQ could not answer, kept <b>without your Telegram id</b>.
    They are stored to answer you in your language, to handle your contributions and tell you what happened to them, and to improve the answers. Only the moderators of the ministry's team can see them. They are kept until you delete them.
    Send /mydata to see all your data and /deleteme to delete it.

faq-contact_human-q = How can I reach a person?
faq-contact_human-a =
    Type your question here in this chat. If the FAQ cannot answer it, the bot offers to send it to the ministry's team, and their answer comes back to you here in this chat.
    { $contact_email ->
        [none] This bot is the way to reach the team.
       *[other] You can also write to the team at: { $contact_email }
    }

faq-bot_languages-q = Which languages can I use?
faq-bot_languages-a =
    You can use this bot in <b>Khmer</b> and <b>English</b>. To switch, send /language or press the language button in the menu.
    You can type your questions in either language; the bot answers in the language you chose.
