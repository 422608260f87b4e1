/**
 * Colours from the DSFR palette, each with a contrast of at least 3:1 against white (WCAG 1.4.11 for graphics):
 * bleu France sun-113, warning-425, success-425, glycine main-494, info-425, café crème sun-383, error-425,
 * grey-200.
 */
export const SERIES_COLOURS = ['#000091', '#B34000', '#18753C', '#A558A0', '#0063CB', '#695240', '#CE0500', '#3A3A3A'];

export const colourAt = (i: number): string => SERIES_COLOURS[i % SERIES_COLOURS.length]!;

/** Sequential scale for maps and heat maps, light to dark bleu France (925, 850, main-525 tints, sun-113). */
export const SEQUENTIAL = ['#E3E3FD', '#CACAFB', '#9898F8', '#6A6AF4', '#313178'];

/** Cells without a published value: hatched grey, never the lightest colour of the scale (which means "few"). */
export const NO_DATA = '#F6F6F6';
