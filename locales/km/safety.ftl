## Long texts split across messages, refusals in the moderators' group, cards Telegram refused.

# Heads each further part of a text too long for one message.
safety-part = <b>{ $ref }</b> · ផ្នែកទី { $part } នៃ { $parts }
mod-wrong-place = ប៊ូតុង និងពាក្យបញ្ជារបស់អ្នកសម្របសម្រួល ប្រើបានតែក្នុងក្រុមអ្នកសម្របសម្រួលប៉ុណ្ណោះ។
mod-missing-item = ធាតុនេះមិនមានទេ ឬលែងមានហើយ។
mod-reply-empty = ចម្លើយទទេ៖ សូមសរសេរវាជាអត្ថបទ ក្នុងការឆ្លើយតបរបស់លោកអ្នកទៅកាតនោះ។
safety-card-refused = ⚠️ Telegram បានបដិសេធកាតរបស់ { $ref }។ ខ្ញុំបានផ្ញើវាម្តងទៀតជាអត្ថបទធម្មតានៅខាងក្រោម។
