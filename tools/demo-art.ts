import type { Motif } from "./demo-stories.js";

/** Width and height of demo images: 1080p landscape, the kiosk's native size. */
export const ART_WIDTH = 1920;
export const ART_HEIGHT = 1080;

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/** Shapes for each motif, drawn in a 1920×1080 box over the background. */
function motifShapes(motif: Motif, accent: string, mid: string): string {
  switch (motif) {
    case "ocean":
      return [0, 1, 2, 3]
        .map(
          (i) =>
            `<path d="M0 ${640 + i * 90} Q 240 ${580 + i * 90} 480 ${640 + i * 90} T 960 ${640 + i * 90} T 1440 ${640 + i * 90} T 1920 ${640 + i * 90} V1080 H0 Z" fill="#ffffff" opacity="${0.12 + i * 0.08}"/>`,
        )
        .join("");
    case "mountain":
      return `<polygon points="560,900 960,220 1360,900" fill="${mid}"/><polygon points="860,390 960,220 1060,390 1010,360 960,400 910,360" fill="#ffffff" opacity="0.85"/><polygon points="100,900 420,480 760,900" fill="${mid}" opacity="0.6"/><polygon points="1200,900 1540,520 1880,900" fill="${mid}" opacity="0.6"/>`;
    case "serpent":
      return `<path d="M160 700 C 460 380, 760 980, 1060 620 S 1560 360, 1800 560" stroke="${accent}" stroke-width="70" fill="none" stroke-linecap="round"/><circle cx="1800" cy="560" r="60" fill="${accent}"/><circle cx="1815" cy="545" r="10" fill="#111"/>`;
    case "nectar":
      return `<ellipse cx="960" cy="640" rx="220" ry="250" fill="${accent}"/><rect x="860" y="330" width="200" height="90" rx="20" fill="${accent}"/><ellipse cx="960" cy="330" rx="130" ry="30" fill="#fff3c4"/>${[
        0, 1, 2, 3, 4, 5, 6, 7,
      ]
        .map((i) => {
          const a = (i * Math.PI) / 4;
          return `<line x1="${960 + Math.cos(a) * 300}" y1="${600 + Math.sin(a) * 300}" x2="${960 + Math.cos(a) * 420}" y2="${600 + Math.sin(a) * 420}" stroke="#fff3c4" stroke-width="14" stroke-linecap="round"/>`;
        })
        .join("")}`;
    case "sun":
      return `<circle cx="960" cy="520" r="260" fill="${accent}"/>${Array.from({ length: 16 }, (_, i) => {
        const a = (i * Math.PI) / 8;
        return `<polygon points="${960 + Math.cos(a) * 290},${520 + Math.sin(a) * 290} ${960 + Math.cos(a + 0.1) * 400},${520 + Math.sin(a + 0.1) * 400} ${960 + Math.cos(a - 0.1) * 400},${520 + Math.sin(a - 0.1) * 400}" fill="${accent}" opacity="0.8"/>`;
      }).join("")}`;
    case "wheel":
      return `<circle cx="960" cy="560" r="330" fill="none" stroke="${accent}" stroke-width="50"/><circle cx="960" cy="560" r="70" fill="${accent}"/>${Array.from(
        { length: 8 },
        (_, i) => {
          const a = (i * Math.PI) / 4;
          return `<line x1="960" y1="560" x2="${960 + Math.cos(a) * 320}" y2="${560 + Math.sin(a) * 320}" stroke="${accent}" stroke-width="26"/>`;
        },
      ).join("")}`;
    case "temple":
      return `<rect x="560" y="560" width="800" height="340" fill="${mid}"/><polygon points="660,560 960,160 1260,560" fill="${mid}"/><rect x="900" y="700" width="120" height="200" fill="#1b1b1b" opacity="0.6"/>${[
        0, 1, 2, 3,
      ]
        .map((i) => `<rect x="${600 + i * 200}" y="600" width="40" height="300" fill="${accent}" opacity="0.5"/>`)
        .join("")}`;
    case "chariot":
      return `<rect x="520" y="420" width="760" height="300" rx="30" fill="${mid}"/><circle cx="680" cy="760" r="130" fill="none" stroke="${accent}" stroke-width="30"/><circle cx="1120" cy="760" r="130" fill="none" stroke="${accent}" stroke-width="30"/>${[
        0, 1, 2, 3, 4, 5, 6,
      ]
        .map(
          (i) =>
            `<path d="M${1320 + i * 70} 700 l 30 -160 l 30 160" stroke="${accent}" stroke-width="18" fill="none"/>`,
        )
        .join("")}`;
    case "stepwell":
      return Array.from(
        { length: 7 },
        (_, i) =>
          `<rect x="${300 + i * 90}" y="${260 + i * 90}" width="${1320 - i * 180}" height="90" fill="${i % 2 === 0 ? mid : accent}" opacity="${0.9 - i * 0.08}"/>`,
      ).join("");
    case "steps":
      return Array.from(
        { length: 9 },
        (_, i) =>
          `<rect x="${200 + i * 120}" y="${300 + i * 70}" width="180" height="${600 - i * 70}" fill="${mid}" opacity="${0.5 + i * 0.05}"/>`,
      ).join("");
    case "queen":
      return `<circle cx="960" cy="400" r="120" fill="${accent}"/><path d="M760 900 Q 960 480 1160 900 Z" fill="${mid}"/><polygon points="880,300 910,220 960,290 1010,220 1040,300" fill="#f2c14e"/>`;
    case "pillar":
      return `<rect x="900" y="160" width="120" height="760" rx="18" fill="${mid}"/><rect x="860" y="140" width="200" height="60" rx="12" fill="${accent}"/><rect x="820" y="900" width="280" height="40" fill="${accent}"/>`;
    case "stars":
      return Array.from({ length: 60 }, (_, i) => {
        const x = (i * 337) % 1920;
        const y = (i * 211) % 760;
        return `<circle cx="${x}" cy="${y}" r="${3 + (i % 4) * 2}" fill="#ffffff" opacity="${0.4 + (i % 5) * 0.12}"/>`;
      }).join("");
  }
}

/** An SVG scene for one cue: gradient sky, the motif, and a caption band with the label. */
export function sceneSvg(options: {
  motif: Motif;
  palette: [string, string, string];
  label: string;
  heading: string;
}): string {
  const [dark, mid, accent] = options.palette;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${ART_WIDTH}" height="${ART_HEIGHT}" viewBox="0 0 ${ART_WIDTH} ${ART_HEIGHT}">
  <defs><linearGradient id="sky" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="${dark}"/><stop offset="1" stop-color="${mid}"/></linearGradient></defs>
  <rect width="${ART_WIDTH}" height="${ART_HEIGHT}" fill="url(#sky)"/>
  ${motifShapes(options.motif, accent, mid)}
  <rect x="0" y="940" width="${ART_WIDTH}" height="140" fill="#000000" opacity="0.45"/>
  <text x="80" y="1030" font-family="DejaVu Sans, sans-serif" font-size="64" font-weight="bold" fill="#ffffff">${escapeXml(options.label)}</text>
  <text x="1840" y="1030" text-anchor="end" font-family="DejaVu Sans, sans-serif" font-size="36" fill="#ffffff" opacity="0.8">${escapeXml(options.heading)}</text>
</svg>`;
}
