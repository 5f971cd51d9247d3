## ឧបករណ៍របស់អ្នកគ្រប់គ្រង៖ /stats និង /export ។

admin-not-allowed = មានតែអ្នកគ្រប់គ្រងរបស់ក្រុមការងារប៉ុណ្ណោះដែលអាចធ្វើសកម្មភាពនេះបាន។

stats-none = មិនទាន់មាន
stats-unset = មិនបានជ្រើសរើស
stats-minutes = { $n } នាទី
stats-hours = { $n } ម៉ោង
stats-days = { $n } ថ្ងៃ
stats-reg-confirmed = កំពុងរង់ចាំការផ្ទៀងផ្ទាត់
stats-reg-verified = បានផ្ទៀងផ្ទាត់
stats-reg-withdrawn = បានដកខ្លួន
stats-reg-erased = បានលុប
stats-sub-open = បើក
stats-sub-claimed = កំពុងដោះស្រាយ
stats-sub-approved = បានអនុម័ត
stats-sub-rejected = បានបដិសេធ
stats-sub-answered = បានឆ្លើយ
stats-text =
    <b>ស្ថិតិ</b>

    <b>មនុស្ស</b>៖ { $people }
    តាមភាសា៖ { $languages }
    សកម្មក្នុងរយៈពេល ៧ ថ្ងៃចុងក្រោយ៖ { $active7 } ក្នុងរយៈពេល ៣០ ថ្ងៃចុងក្រោយ៖ { $active30 }
    បានរារាំងខ្ញុំ៖ { $blocked }

    <b>ការចុះឈ្មោះ</b> តាមប្រភេទ៖ { $kinds }
    តាមការផ្ទៀងផ្ទាត់៖ { $statuses }

    <b>ធាតុចូល និងសំណួរ</b> តាមស្ថានភាព៖ { $submissions }
    តាមប្រធានបទ៖ { $topics }
    រយៈពេលមធ្យម (មេដ្យាន) រហូតដល់ការសម្រេចរបស់អ្នកត្រួតពិនិត្យ៖ { $median }

    <b>អ្នកប្រើដែលបានជាវ</b> តាមប្រធានបទ៖ { $subscribers }

    <b>ការវាយតម្លៃចម្លើយ</b>៖ 👍 { $helpful } · 👎 { $unhelpful }
stats-top-answers = <b>ចម្លើយដែលត្រូវបានសួរច្រើនបំផុត</b>
stats-top-unanswered = <b>សំណួរដែលមិនទាន់មានចម្លើយ ដែលត្រូវបានសួរញឹកញាប់បំផុត</b>
stats-chart-caption = ការចុះឈ្មោះថ្មី (ពណ៌ខៀវ) ព្រមទាំងធាតុចូល និងសំណួរ (ពណ៌ទឹកក្រូច) ប្រចាំថ្ងៃ ក្នុងរយៈពេល ៣០ ថ្ងៃចុងក្រោយ (UTC)។

export-usage = សូមប្រើ /export ឬ /export registrations, /export submissions ឬ /export subscriptions ។
export-caption = { $kind }៖ { $rows } ជួរ (CSV, UTF-8)។ មានទិន្នន័យផ្ទាល់ខ្លួន៖ សូមរក្សាទុកឱ្យមានសុវត្ថិភាព។

cmd-announce = សរសេរសេចក្តីជូនដំណឹង (អ្នកគ្រប់គ្រង)
cmd-stats = ស្ថិតិ និងគំនូសតាងរយៈពេល ៣០ ថ្ងៃ (អ្នកគ្រប់គ្រង)
cmd-export = ឯកសារ CSV នៃការចុះឈ្មោះ ធាតុចូល និងសំណួរ ព្រមទាំងការជាវ (អ្នកគ្រប់គ្រង)
