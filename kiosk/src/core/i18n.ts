/** Every visitor-facing string, in each kiosk language. */
import type { Lang } from "../../../protocol/ids.js";

const en = {
  attractTitle: "Stories of India",
  attractPrompt: "Wave, touch or press any key to begin",
  browseTitle: "Choose a story",
  language: "भाषा: हिन्दी",
  free: "Free",
  premium: "Premium",
  unlocked: "Unlocked",
  minutes: "min",
  loading: "Starting the story…",
  theEnd: "The end. Press Enter or wait to choose another story.",
  back: "Back",
  payTitle: "Scan to pay with any UPI app",
  payCreating: "Preparing your QR code…",
  payWaiting: "Waiting for payment…",
  payPaid: "Paid — thank you!",
  payFailed: "The payment did not go through.",
  payExpired: "This QR code has expired.",
  payRejected: "We could not verify this payment.",
  payUnavailable: "Payments are unavailable right now.",
  payRetry: "Press Enter to try again",
  payCancel: "Esc to go back",
  expiresIn: "Expires in",
  connecting: "Connecting…",
  reconnecting: "Reconnecting…",
  offline: "Offline — playing from this kiosk's cache",
  overrideTitle: "Staff override",
  overridePrompt: "Enter today's code and press Enter",
  overrideSending: "Checking…",
  overrideUnlocked: "Unlocked.",
  overrideWrong: "Wrong code.",
  overrideLocked: "Too many wrong codes. Try again later.",
  setupTitle: "Kiosk setup",
  setupPrompt: "Paste this kiosk's credential (kiosk id and secret) and press Enter",
  setupInvalid: "That does not look like a kiosk credential.",
} as const;

export type StringKey = keyof typeof en;

const hi: Record<StringKey, string> = {
  attractTitle: "भारत की कहानियाँ",
  attractPrompt: "शुरू करने के लिए हाथ हिलाएँ, छुएँ या कोई बटन दबाएँ",
  browseTitle: "एक कहानी चुनें",
  language: "Language: English",
  free: "निःशुल्क",
  premium: "प्रीमियम",
  unlocked: "खुली हुई",
  minutes: "मिनट",
  loading: "कहानी शुरू हो रही है…",
  theEnd: "समाप्त। दूसरी कहानी चुनने के लिए Enter दबाएँ या प्रतीक्षा करें।",
  back: "वापस",
  payTitle: "किसी भी UPI ऐप से स्कैन करके भुगतान करें",
  payCreating: "आपका QR कोड तैयार हो रहा है…",
  payWaiting: "भुगतान की प्रतीक्षा…",
  payPaid: "भुगतान हो गया — धन्यवाद!",
  payFailed: "भुगतान पूरा नहीं हुआ।",
  payExpired: "इस QR कोड की समय-सीमा समाप्त हो गई।",
  payRejected: "हम इस भुगतान की पुष्टि नहीं कर सके।",
  payUnavailable: "अभी भुगतान उपलब्ध नहीं है।",
  payRetry: "फिर से प्रयास के लिए Enter दबाएँ",
  payCancel: "वापस जाने के लिए Esc",
  expiresIn: "समाप्ति में",
  connecting: "जुड़ रहा है…",
  reconnecting: "फिर से जुड़ रहा है…",
  offline: "ऑफ़लाइन — इस कियोस्क के कैश से चल रहा है",
  overrideTitle: "स्टाफ़ ओवरराइड",
  overridePrompt: "आज का कोड दर्ज करें और Enter दबाएँ",
  overrideSending: "जाँच हो रही है…",
  overrideUnlocked: "खुल गया।",
  overrideWrong: "गलत कोड।",
  overrideLocked: "बहुत सारे गलत कोड। बाद में प्रयास करें।",
  setupTitle: "कियोस्क सेटअप",
  setupPrompt: "इस कियोस्क का क्रेडेंशियल चिपकाएँ और Enter दबाएँ",
  setupInvalid: "यह कियोस्क क्रेडेंशियल जैसा नहीं लगता।",
};

const tables: Record<Lang, Record<StringKey, string>> = { en, hi };

export function t(lang: Lang, key: StringKey): string {
  return tables[lang][key];
}

/** ₹ amount from paise, in the visitor's language's digits. */
export function formatRupees(paise: number, lang: Lang): string {
  return new Intl.NumberFormat(lang === "hi" ? "hi-IN" : "en-IN", {
    style: "currency",
    currency: "INR",
    maximumFractionDigits: paise % 100 === 0 ? 0 : 2,
  }).format(paise / 100);
}

/** mm:ss for a countdown. */
export function formatCountdown(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, "0")}`;
}
