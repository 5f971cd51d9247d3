## Running the bot: what operators' settings mean for the people using it.

# $days: DRAFT_RETENTION_DAYS, already written in the reader's digits.
privacy-retention = <b>ទម្រង់មិនទាន់បញ្ចប់៖</b> ការចុះឈ្មោះ ឬធាតុចូលដែលលោកអ្នកបានចាប់ផ្តើម ប៉ុន្តែមិនទាន់បញ្ចប់ នឹងត្រូវលុបចោល { $days } ថ្ងៃ បន្ទាប់ពីលោកអ្នកបានបំពេញវាចុងក្រោយ។
