## Long texts split across messages, refusals in the moderators' group, cards Telegram refused.

# Heads each further part of a text too long for one message.
safety-part = <b>{ $ref }</b> · ផ្នែកទី { $part } នៃ { $parts }
mod-wrong-place = ប៊ូតុង និងពាក្យបញ្ជាសម្រាប់អ្នកត្រួតពិនិត្យ ប្រើបានតែក្នុងក្រុមអ្នកត្រួតពិនិត្យប៉ុណ្ណោះ។
mod-missing-item = ធាតុនេះមិនមានទេ ឬលែងមានហើយ។
mod-reply-empty = ⚠️ គ្មានអ្វីត្រូវបានផ្ញើទៅអ្នកផ្ញើទេ៖ សូមសរសេរចម្លើយជាអត្ថបទ ក្នុងការឆ្លើយតបរបស់លោកអ្នកទៅកាតនោះ។
safety-card-refused = ⚠️ Telegram បានបដិសេធកាតរបស់ { $ref }។ ខ្ញុំបានផ្ញើវាម្តងទៀតជាអត្ថបទធម្មតានៅខាងក្រោម។
mod-answer-blocked = ⚠️ ចម្លើយទៅ { $ref } មិនបានទៅដល់អ្នកផ្ញើទេ៖ អ្នកផ្ញើបានបិទមិនទទួលសារពីខ្ញុំ។
mod-answer-failed = ⚠️ ចម្លើយទៅ { $ref } មិនអាចផ្ញើទៅដល់អ្នកផ្ញើបានទេ។
