/**
 * The demo library as plain data. Names carry diacritics and Japanese on purpose: search,
 * sorting and file-name handling must cope with them from the first start.
 */

import type { DemoAlbum } from './types.ts'

const CAFE = 'Café Aurora'
const YUKI = 'Yūki Hoshino'
const ANGSTROM = 'Ångström Collective'

export const demoAlbums: readonly DemoAlbum[] = [
  {
    title: 'Lumière du Soir',
    albumArtist: CAFE,
    year: 2019,
    genre: 'Jazz',
    format: 'flac',
    cover: { motif: 'sunset', colors: ['#2b1a3d', '#e0705a', '#ffd37a'] },
    discs: [
      [
        {
          title: 'Rue des Étoiles',
          artist: CAFE,
          duration: 6,
          music: {
            key: 65,
            scale: 'major',
            bpm: 92,
            progression: [1, 4, 0, 5],
            lead: 'epiano',
            groove: 'brushes',
            seed: 11,
          },
        },
        {
          title: 'Crème Brûlée',
          artist: CAFE,
          duration: 5,
          music: {
            key: 58,
            scale: 'mixolydian',
            bpm: 108,
            progression: [0, 3, 1, 4],
            lead: 'vibes',
            groove: 'brushes',
            seed: 12,
          },
        },
        {
          title: 'Déjà Vu à Montréal',
          artist: CAFE,
          duration: 7,
          music: {
            key: 57,
            scale: 'dorian',
            bpm: 76,
            progression: [0, 3, 0, 4],
            lead: 'epiano',
            pad: 'strings',
            groove: 'none',
            seed: 13,
          },
        },
      ],
    ],
  },
  {
    title: '夜明けの音',
    albumArtist: YUKI,
    year: 2021,
    genre: 'Ambient',
    format: 'ogg',
    cover: { motif: 'waves', colors: ['#0d2a4a', '#5fa8c8', '#f4e6c8'] },
    discs: [
      [
        {
          title: '朝霧 (Asagiri)',
          artist: YUKI,
          duration: 8,
          music: {
            key: 62,
            scale: 'yo',
            bpm: 66,
            progression: [0, 3, 1, 0],
            lead: 'koto',
            pad: 'strings',
            groove: 'none',
            seed: 21,
          },
        },
        {
          title: 'Sakura Drift',
          artist: YUKI,
          duration: 6,
          music: {
            key: 64,
            scale: 'insen',
            bpm: 72,
            progression: [0, 2, 3, 0],
            lead: 'koto',
            groove: 'none',
            seed: 22,
          },
        },
        {
          title: '静かな海',
          artist: YUKI,
          duration: 7,
          music: {
            key: 60,
            scale: 'yo',
            bpm: 60,
            progression: [0, 4, 2, 3],
            lead: 'bell',
            pad: 'strings',
            groove: 'none',
            seed: 23,
          },
        },
      ],
    ],
  },
  {
    title: 'Polar Drift',
    albumArtist: ANGSTROM,
    year: 2023,
    genre: 'Electronic',
    format: 'mp3',
    cover: { motif: 'grid', colors: ['#0a0620', '#7b2ff7', '#21e6c1'] },
    discs: [
      [
        {
          title: 'Midnight Sun',
          artist: ANGSTROM,
          duration: 6,
          music: {
            key: 57,
            scale: 'minor',
            bpm: 120,
            progression: [0, 5, 2, 6],
            lead: 'bell',
            pad: 'saw',
            groove: 'four-on-floor',
            seed: 31,
          },
        },
        {
          title: 'Fjord Lights',
          artist: ANGSTROM,
          duration: 5,
          music: {
            key: 62,
            scale: 'dorian',
            bpm: 124,
            progression: [0, 3, 4, 3],
            lead: 'bell',
            pad: 'saw',
            groove: 'four-on-floor',
            seed: 32,
          },
        },
      ],
      [
        {
          title: 'Øresund Bridge',
          artist: ANGSTROM,
          duration: 7,
          music: {
            key: 55,
            scale: 'minor',
            bpm: 116,
            progression: [0, 3, 4, 0],
            lead: 'vibes',
            pad: 'saw',
            groove: 'four-on-floor',
            seed: 33,
          },
        },
        {
          title: 'Polar Drift',
          artist: ANGSTROM,
          duration: 4.5,
          music: {
            key: 60,
            scale: 'major',
            bpm: 128,
            progression: [5, 3, 0, 4],
            lead: 'bell',
            pad: 'saw',
            groove: 'four-on-floor',
            seed: 34,
          },
        },
      ],
    ],
  },
  {
    title: 'Tonearm Sampler, Vol. 1',
    albumArtist: 'Various Artists',
    year: 2020,
    genre: 'Various',
    // M4A because ffmpeg writes its compilation flag (cpil); for MP3 it cannot write TCMP.
    format: 'm4a',
    compilation: true,
    cover: { motif: 'rings', colors: ['#1c1c1c', '#d94f30', '#f2efe6'] },
    discs: [
      [
        {
          title: 'Petit Matin',
          artist: CAFE,
          genre: 'Jazz',
          duration: 5,
          music: {
            key: 67,
            scale: 'major',
            bpm: 100,
            progression: [0, 5, 1, 4],
            lead: 'vibes',
            groove: 'brushes',
            seed: 41,
          },
        },
        {
          title: '月の光',
          artist: YUKI,
          genre: 'Ambient',
          duration: 6,
          music: {
            key: 61,
            scale: 'insen',
            bpm: 64,
            progression: [0, 3, 0, 2],
            lead: 'koto',
            pad: 'strings',
            groove: 'none',
            seed: 42,
          },
        },
        {
          title: 'Neon Fjord',
          artist: ANGSTROM,
          genre: 'Electronic',
          duration: 5,
          music: {
            key: 59,
            scale: 'minor',
            bpm: 122,
            progression: [0, 2, 5, 4],
            lead: 'epiano',
            pad: 'saw',
            groove: 'four-on-floor',
            seed: 43,
          },
        },
      ],
    ],
  },
]
