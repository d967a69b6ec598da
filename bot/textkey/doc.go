// Package textkey turns pasted job-offer text into a matching key, and guesses
// its language.
//
// Job seekers paste offers in Chinese, English, Thai, Vietnamese, Indonesian,
// Burmese and Khmer, typed on whatever phone and keyboard they had. The same
// word then arrives in many byte forms: full-width Latin, Thai or Burmese
// digits, Traditional characters, Vietnamese with or without diacritics (and
// in precomposed or combining form), Burmese in the legacy Zawgyi encoding,
// invisible zero-width spaces. Red-flag patterns are written once, in one
// form; [Key] maps both the patterns and the pasted text onto one form so that
// a plain substring search finds them (research/languages.md §0).
//
// A key is for matching only. It loses information on purpose (case, tones,
// Traditional vs Simplified), so it is never shown to a user and never
// stored: show the original text, or [ZawgyiToUnicode] of it.
//
// Everything here is pure: no I/O happens at run time except reading the data
// files embedded from data/ (see data/README.md for their sources and
// licences). Nothing returns an error: every function accepts any string,
// including invalid UTF-8, and always gives a usable answer.
package textkey
