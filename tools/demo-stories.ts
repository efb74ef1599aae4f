import type { Lang } from "../protocol/ids.js";

/** A scene the demo image generator can draw. */
export type Motif =
  | "ocean"
  | "mountain"
  | "serpent"
  | "nectar"
  | "sun"
  | "wheel"
  | "temple"
  | "chariot"
  | "stepwell"
  | "steps"
  | "queen"
  | "pillar"
  | "stars";

export interface DemoCue {
  id: string;
  motif: Motif;
  label: string;
  /** Narration per language; each cue's text starts where its image appears. */
  text: Record<Lang, string>;
}

export interface DemoStory {
  id: string;
  title: Record<Lang, string>;
  summary: Record<Lang, string>;
  pricePaise: number;
  palette: [string, string, string];
  cues: DemoCue[];
}

/** The demo stories: the source of r2-assets/stories/ (see tools/generate-demo-sources.ts). */
export const DEMO_STORIES: DemoStory[] = [
  {
    id: "churning-of-the-ocean",
    title: { en: "The Churning of the Ocean", hi: "समुद्र मंथन" },
    summary: {
      en: "Gods and demons churn the ocean of milk for the nectar of immortality.",
      hi: "देव और असुर अमृत के लिए क्षीरसागर का मंथन करते हैं।",
    },
    pricePaise: 0,
    palette: ["#0b3d6b", "#1f7a8c", "#f2c14e"],
    cues: [
      {
        id: "ocean",
        motif: "ocean",
        label: "The ocean of milk",
        text: {
          en: "Long ago, the gods had lost their strength, and the ocean of milk held the nectar that could restore it.",
          hi: "बहुत समय पहले देवताओं की शक्ति क्षीण हो गई थी, और क्षीरसागर में वह अमृत छिपा था जो उसे लौटा सकता था।",
        },
      },
      {
        id: "mountain",
        motif: "mountain",
        label: "Mount Mandara",
        text: {
          en: "They uprooted Mount Mandara to serve as the churning rod, and set it in the middle of the sea.",
          hi: "उन्होंने मंदार पर्वत को उखाड़ कर मथानी बनाया और उसे सागर के बीच में रखा।",
        },
      },
      {
        id: "serpent",
        motif: "serpent",
        label: "Vasuki the serpent",
        text: {
          en: "Vasuki, king of serpents, became the rope. Gods pulled from one side, demons from the other.",
          hi: "नागराज वासुकि रस्सी बने। एक ओर से देवता खींचते, दूसरी ओर से असुर।",
        },
      },
      {
        id: "nectar",
        motif: "nectar",
        label: "The nectar rises",
        text: {
          en: "At last Dhanvantari rose from the waves, holding the golden pot of nectar.",
          hi: "अंत में धन्वंतरि लहरों से प्रकट हुए, उनके हाथ में अमृत का स्वर्ण कलश था।",
        },
      },
    ],
  },
  {
    id: "sun-temple-of-konark",
    title: { en: "The Sun Temple of Konark", hi: "कोणार्क का सूर्य मंदिर" },
    summary: {
      en: "A temple built as the chariot of the Sun, with wheels that tell the time.",
      hi: "सूर्य के रथ के रूप में बना मंदिर, जिसके पहिये समय बताते हैं।",
    },
    pricePaise: 4900,
    palette: ["#7a2e0e", "#d96c06", "#ffd166"],
    cues: [
      {
        id: "sun",
        motif: "sun",
        label: "Surya, the Sun",
        text: {
          en: "On the shore of the eastern sea, a king built a temple for Surya, the Sun himself.",
          hi: "पूर्वी सागर के तट पर एक राजा ने स्वयं सूर्य देव के लिए मंदिर बनवाया।",
        },
      },
      {
        id: "chariot",
        motif: "chariot",
        label: "The stone chariot",
        text: {
          en: "The whole temple is a chariot of stone, drawn by seven horses across the sky.",
          hi: "पूरा मंदिर पत्थर का एक रथ है, जिसे सात घोड़े आकाश में खींचते हैं।",
        },
      },
      {
        id: "wheel",
        motif: "wheel",
        label: "Twenty-four wheels",
        text: {
          en: "Its twenty-four carved wheels are sundials. Their shadows still tell the hour.",
          hi: "इसके चौबीस नक्काशीदार पहिये धूपघड़ियाँ हैं। उनकी छाया आज भी समय बताती है।",
        },
      },
      {
        id: "temple",
        motif: "temple",
        label: "The temple today",
        text: {
          en: "Sailors once called it the Black Pagoda, and steered their ships by its tower.",
          hi: "नाविक इसे काला पगोडा कहते थे और इसके शिखर को देख कर जहाज़ चलाते थे।",
        },
      },
    ],
  },
  {
    id: "queens-stepwell",
    title: { en: "The Queen's Stepwell", hi: "रानी की वाव" },
    summary: {
      en: "A queen builds an upside-down temple to honour water.",
      hi: "एक रानी जल के सम्मान में उल्टा मंदिर बनवाती है।",
    },
    pricePaise: 0,
    palette: ["#3d405b", "#81b29a", "#f4f1de"],
    cues: [
      {
        id: "queen",
        motif: "queen",
        label: "Queen Udayamati",
        text: {
          en: "Nearly a thousand years ago, Queen Udayamati built a stepwell in memory of her king.",
          hi: "लगभग एक हज़ार साल पहले रानी उदयमती ने अपने राजा की स्मृति में एक बावड़ी बनवाई।",
        },
      },
      {
        id: "steps",
        motif: "steps",
        label: "Seven levels down",
        text: {
          en: "Seven levels of steps lead down to the water, each one cooler than the last.",
          hi: "सात तलों की सीढ़ियाँ पानी तक उतरती हैं, हर तल पिछले से ठंडा।",
        },
      },
      {
        id: "stepwell",
        motif: "stepwell",
        label: "An upside-down temple",
        text: {
          en: "Its walls carry hundreds of sculptures, a temple turned upside down to honour water.",
          hi: "इसकी दीवारों पर सैकड़ों मूर्तियाँ हैं, जल के सम्मान में उल्टा बना एक मंदिर।",
        },
      },
    ],
  },
  {
    id: "iron-pillar",
    title: { en: "The Iron Pillar That Never Rusts", hi: "कभी न जंग खाने वाला लौह स्तंभ" },
    summary: {
      en: "Sixteen centuries in the open air, and still no rust.",
      hi: "सोलह सदियाँ खुले आसमान के नीचे, फिर भी जंग नहीं।",
    },
    pricePaise: 2900,
    palette: ["#22223b", "#4a4e69", "#c9ada7"],
    cues: [
      {
        id: "pillar",
        motif: "pillar",
        label: "Seven metres of iron",
        text: {
          en: "In a courtyard in Delhi stands a pillar of iron, more than seven metres tall.",
          hi: "दिल्ली के एक आँगन में सात मीटर से ऊँचा लोहे का एक स्तंभ खड़ा है।",
        },
      },
      {
        id: "stars",
        motif: "stars",
        label: "Sixteen centuries",
        text: {
          en: "It has stood through sixteen centuries of monsoons, and it has barely rusted.",
          hi: "यह सोलह सदियों की बरसातें झेल चुका है, और इस पर लगभग जंग नहीं लगा।",
        },
      },
      {
        id: "mountain",
        motif: "mountain",
        label: "The smiths' secret",
        text: {
          en: "Its smiths left phosphorus in the iron, and a thin shield formed that protects it still.",
          hi: "लोहारों ने लोहे में फ़ॉस्फ़ोरस छोड़ा, और एक पतली परत बनी जो आज भी इसकी रक्षा करती है।",
        },
      },
    ],
  },
];
