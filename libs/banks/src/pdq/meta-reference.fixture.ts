// Values computed by Meta's PDQ reference (C++, facebook/ThreatExchange pdq/cpp at baefb4ed, built with
// g++ 12 -O3 as its Makefile does), not by this repository's code. How they were made: docs/banks.md.

export interface ReferenceHash {
  hash: string;
  quality: number;
}

/** pdqDihedralHash256esFromFloatLuma on the formula images of synthetic-images.ts, written as PNM. */
export const SYNTHETIC_CORE: Record<string, ReferenceHash & { dihedral: Record<string, string> }> = {
  'checker-64': {
    hash: '772220f5f720085d572802550055287f085dd728dd2057007d08552875205580',
    quality: 100,
    dihedral: {
      original: '772220f5f720085d572802550055287f085dd728dd2057007d08552875205580',
      rotate90: '20605780e10a578011a85780ac5057804001a87fe966a87f19cca87f8100a87f',
      rotate180: '22770a5fa275a277027d08ff550002d55d087502887555aa285d7f822075df28',
      rotate270: '3021fd2ab04efd2a44adfd2af905fd2a051402d5bc3302d54c9902d5d45402d5',
      flipX: '77225f0af720f72257285daa00555780085d2057dd2000ff7d082ad775208a7d',
      flipY: '227775a0a2755d08027d570055007d2a5d08827d88750255285d007d207500d5',
      flipPlus1: '2060a87fe10aa87f11a8a87fac50a87f40015780e966578019cc578081005780',
      flipMinus1: '302102d5b04e02d544ad02d5f90502d50514fd2abc33fd2a4c99fd2ad454fd2a',
    },
  },
  'faint-waves': {
    hash: '1c5360001f5de0001fffe0001fffe0001fffe0001fff1fffe0001fffe0001fff',
    quality: 0,
    dihedral: {
      original: '1c5360001f5de0001fffe0001fffe0001fffe0001fff1fffe0001fffe0001fff',
      rotate90: '554aaab5554a554aaab5554aaab5554aaab5554aaab5554aeab5d54aaab5554a',
      rotate180: '4baecabf4aaa4aaa4aaa4aaa4aaa4aaa4aaa4aaa4aaab555b555b555b555b555',
      rotate270: '001f001f001fffe0ffe0ffe01fe07fe00fe0ffe00fe09fe007e01fe00be01fe0',
      flipX: '1c501d401d401f551ff71ffd1fff1fff1fff1fff1fffe000e000e000e000e000',
      flipY: '4aaeb55d4aaab5554aaab5554aaab5554aaab5554aaa4aaab5554aaab5554aaa',
      flipPlus1: '154a554a554aaab5aab5aab52ab52ab50ab5aab50ab5aab52ab52ab58ab5aab5',
      flipMinus1: '401fffe0001f001fffe0001fffe0801fffe0001fffe0401fffe0c01fffe0401f',
    },
  },
  flat: {
    hash: '000000002c4b11342c4b2c4b0000554b00002c4b113411342c4b585e2c4b017e',
    quality: 0,
    dihedral: {
      original: '000000002c4b11342c4b2c4b0000554b00002c4b113411342c4b585e2c4b017e',
      rotate90: '000000012c4a2c4b2c4e103500002c4e0000103010312c4a2d4f2c4a2d4f1035',
      rotate180: '00000000391e391e391e04610000d741000004610461391e391ef2f4391e0b54',
      rotate270: '01040001381e0461381b381f010504640004381a04640460381a0460381a381f',
      flipX: '000000002c4b2c4b2c4b1134000082000000113411342c4b2c4ba7a12c4b5e01',
      flipY: '00000000391e0461391e391e0000000a0000391e04610461391e0d0b391e542b',
      flipPlus1: '000001042c4a11342c4e2d4a0000113100002d4f103110352d4f10352d4f2d4a',
      flipMinus1: '01040104381e391e381b05600105391b000405650464381f381a381f381a0560',
    },
  },
  gradient: {
    hash: '5555aaaa5555aaaa5555aaaa5555aaaa5555aaaa5555aaaa5545aaaa5555aaea',
    quality: 14,
    dihedral: {
      original: '5555aaaa5555aaaa5555aaaa5555aaaa5555aaaa5555aaaa5545aaaa5555aaea',
      rotate90: '55555555555555555555555555555555555555545555555d5555555555555555',
      rotate180: 'de0e3f05bb1c3f407750dbf99e499ef8ce70ceccde489e720c7c08509e439860',
      rotate270: '0001ffff0000ffff0000ffff0000ffff0000fffe0000ffff0000ffff0000ffff',
      flipX: '555555555555555555555555555555555555555555555555555555555555d515',
      flipY: '0000ffff0000ffff0000ffff0000ffff0000ffff0000ffff0010ffff0000ffbf',
      flipPlus1: '5555aaaa5555aaaa5555aaaa5555aaaa5555aaab5555aaa25555aaaa5555aaaa',
      flipMinus1: 'a7f38ce07800ff33f7ffdbfafff27c0005401fff05992d9ca768e04880124602',
    },
  },
  'grey-ramp': {
    hash: 'a555aaaab872aaaa52aaaaaa77295aaaa555aaaa6a5aaaaa5aaaaaaa4ae5aaaa',
    quality: 100,
    dihedral: {
      original: 'a555aaaab872aaaa52aaaaaa77295aaaa555aaaa6a5aaaaa5aaaaaaa4ae5aaaa',
      rotate90: '54d554d5545554555455545554555455545d545d5c5d5c5d5c5d5c5d5c5d5c5d',
      rotate180: 'ffff0000ffff00007fff0000fffffff8f8000000ffff00007fff0000ffff0000',
      rotate270: 'a1805e7fa3a07e5d202ad7d50a2ad7d5080af5f72a0af5f50a28d5d72828d7d7',
      flipX: 'a5555555b872555552aa55557729a555a55555556a5a55555aaa55554ae55555',
      flipY: '0000ffff0000ffff003fffff00000000c000ffff0000ffff00ffffff0000ffff',
      flipPlus1: 'f4d50b2af6f52b08757f82805f7f82805d5fa0a27f5fa0a05f7d80827d7d8282',
      flipMinus1: 'a3a2abaaabaaabaaabaaab2aab2aab2aab2aab2aab2aab2aab2aaa2aaa2aaa2a',
    },
  },
  'large-waves': {
    hash: 'a8ff0300e8ff0300f8ff0700f8fff8ff0700f8ff0700e8ff0300e8ff0300e8ff',
    quality: 100,
    dihedral: {
      original: 'a8ff0300e8ff0300f8ff0700f8fff8ff0700f8ff0700e8ff0300e8ff0300e8ff',
      rotate90: 'ab5554aaab5514aaab552b5554aaab55ab5554aaab5554aaab5554aaab5554aa',
      rotate180: 'bdaabdaaadaaadaaadaaadaaadaa525552555255525552555255525552555255',
      rotate270: 'fe00fe00fe00fe3ffe00f1ff01ff01fffe00fe00fe00fe00fe00fe00fe00fe00',
      flipX: 'fcfffcfffcfffcfff8fff8fff8ff070007000700170017001700170017001700',
      flipY: 'a9aa4255adaa5255adaa5255adaaadaa5255adaa5255adaa5255adaa5255adaa',
      flipPlus1: 'ab552b55ab550b40ab5504a054aa54aaab55ab55ab55ab55ab55ab55ab55ab55',
      flipMinus1: 'fe0001fffe00c1fffe00fe0001fffe00fe0001fffe0001fffe0001fffe0001ff',
    },
  },
  noise: {
    hash: '2de464216cb965a4dd5d36cf810521ad00e1f362721ac2c37953f6c56d7dc79e',
    quality: 100,
    dihedral: {
      original: '2de464216cb965a4dd5d36cf810521ad00e1f362721ac2c37953f6c56d7dc79e',
      rotate90: '2b558784f57ef393b88a23f8047564b4b5957321f9c6d7d4ad2360f8067b9061',
      rotate180: '78b9ce9bbdeccf0e8828dc65d4509b475db459c8274f68692c065c6f382a6d34',
      rotate270: '7f002d2aa03b5b39fd5fa9525120ce1ee0c0d98bac937d7e7876ca52512c3acb',
      flipX: '2de49bdeecb99a5bdd7dc9309105de5200e10c9d721a3d3c7953091a6d7d3861',
      flipY: '78b93174bdec38f18828639ad452f4f85db4a637274fb7962c06e3b0382a92cb',
      flipPlus1: '0a55787ff56e0c6ca80afc0704759b4bb5958cdef1c2282b2d239f0704796f9e',
      flipMinus1: '7f00d6d5a03ba7c6fddf76ad512031e1e0c02774ac97c281f87635ad512ec534',
    },
  },
  'soft-waves': {
    hash: 'bc0003effc2083fffc0003fffc0003fffc0003fffc0003ff03fffc0003fffc00',
    quality: 27,
    dihedral: {
      original: 'bc0003effc2083fffc0003fffc0003fffc0003fffc0003ff03fffc0003fffc00',
      rotate90: '0aa5d55aaaa5555aaaa5555a555aaaa5555aaaa5555aeaa5555aaaa5555aaaa5',
      rotate180: 'e955a9056955a955e955a955a955a955a955a955a955a95556aa56aa56aa56aa',
      rotate270: 'fff0fff0fff0fff0fff0fff0000f000f000fc00fa00fc00f000f300fd00ff80f',
      flipX: 'fc73fc53fc25fc07fc01fc00fc00fc00fc00fc00fc00fc0003ff03ff03ff03ff',
      flipY: '695556ba295556aaa95556aaa95556aaa95556aaa95556aa56aaa95556aaa955',
      flipPlus1: 'baa52aa5aaa5aaa5aaa5aaa5555a555a555a555a755a155a555a555a555a555a',
      flipMinus1: 'dff0a80ffff0000ffff0000f000ffff0000fbff0000fbff0000ffff0000ffff0',
    },
  },
  tiny: {
    hash: '0000000000000000000000000000000000000000000000000000000000000000',
    quality: 0,
    dihedral: {
      original: '0000000000000000000000000000000000000000000000000000000000000000',
      rotate90: '0000000000000000000000000000000000000000000000000000000000000000',
      rotate180: '0000000000000000000000000000000000000000000000000000000000000000',
      rotate270: '0000000000000000000000000000000000000000000000000000000000000000',
      flipX: '0000000000000000000000000000000000000000000000000000000000000000',
      flipY: '0000000000000000000000000000000000000000000000000000000000000000',
      flipPlus1: '0000000000000000000000000000000000000000000000000000000000000000',
      flipMinus1: '0000000000000000000000000000000000000000000000000000000000000000',
    },
  },
  'waves-16': {
    hash: 'fc0403fbfc0003fffc0003fffc0003fffc0003fffc0003ff03fffc0003fffc00',
    quality: 48,
    dihedral: {
      original: 'fc0403fbfc0003fffc0003fffc0003fffc0003fffc0003ff03fffc0003fffc00',
      rotate90: 'aaa5555aaaa5555aaaa5555a555aaaa5555aaaa5555aaaa5555a6aa5555aaaa5',
      rotate180: 'a955a951e955a955a955a955a955a955a955a955a955a95556aa56aa56aa56aa',
      rotate270: 'fff0fff0fff0fff0fff0fff0000f000f000fc00f000fe80f000fe80f200ff80f',
      flipX: 'fc55fc55fc17fc01fc15fc00fc00fc00fc00fc00fc00fc0003ff03ff03ff03ff',
      flipY: 'a95156aea95556aaa95556aaa95556aaa95556aaa95556aa56aaa95556aaa955',
      flipPlus1: 'aaa5aaa5aaa5aaa5aaa5aaa5555a555a555a555a555a555a555a955a555a555a',
      flipMinus1: 'fff0200ffff0000ffff0000f000ffff0000ffff0000ffff0000fbff0000ffff0',
    },
  },
  'waves-17': {
    hash: 'fc0003fffc0003fffc0003fffc0003fffc0003fffc0003ff03fffc0003fffc00',
    quality: 52,
    dihedral: {
      original: 'fc0003fffc0003fffc0003fffc0003fffc0003fffc0003ff03fffc0003fffc00',
      rotate90: 'aaa5555aaaa5555aaaa5555a555aaaa5555aaaa5555aaaa5555aaaa5555aaaa5',
      rotate180: 'a955a955a955a955a955a955a955a955a955a955a955a95556aa56aa56aa56aa',
      rotate270: 'fff0fff0fff0fff0fff0fff0000f000f000fc00f800fa00f400fe80fc80f380f',
      flipX: 'fc76fc4efc15fc01fc07fc00fc00fc00fc00fc00fc00fc0003ff03ff03ff03ff',
      flipY: 'a95556aaa95556aaa95556aaa95556aaa95556aaa95556aa56aaa95556aaa955',
      flipPlus1: 'aaa5aaa5aaa5aaa5aaa5aaa5555a555a555a555a555a555a555a555a555a555a',
      flipMinus1: 'fff0000ffff0000ffff0000f000ffff0000ffff0000ffff0000ffff0000ffff0',
    },
  },
  waves: {
    hash: '54aaab5554aaab5554aaab5554aaab55ab5554aaab5554aaab5554aaab5554aa',
    quality: 100,
    dihedral: {
      original: '54aaab5554aaab5554aaab5554aaab55ab5554aaab5554aaab5554aaab5554aa',
      rotate90: '55aa55aa55aa55aa55aa55aa55aaaa55aa55aa55aa55aa55aa55aa55aa55aa55',
      rotate180: '01ff01ff01ff01ff01ff01ff01ff01fffe00fe00fe00fe00fe00fe00fe00fe00',
      rotate270: '00ffff0000ffff0000ffff0000ff00ffff0000ffff0000ffff0000ffff0000ff',
      flipX: '54aa54aa54aa54aa54aa54aa54aa54aaab55ab55ab55ab55ab55ab55ab55ab55',
      flipY: '01fffe0001fffe0001fffe0001fffe00fe0001fffe0001fffe0001fffe0001ff',
      flipPlus1: '55aaaa5555aaaa5555aaaa5555aa55aaaa5555aaaa5555aaaa5555aaaa5555aa',
      flipMinus1: '00ff00ff00ff00ff00ff00ff00ffff00ff00ff00ff00ff00ff00ff00ff00ff00',
    },
  },
};

/** The same core on ../shared/images decoded at full size by Pillow (alpha dropped, grey kept grey). */
export const SHARED_CORE: Record<string, ReferenceHash> = {
  'CLIP.png': { hash: 'f910b528ecad494a3f859291be9a6dad43eec9271132aab0f1792922d5c6c6cf', quality: 100 },
  'astronaut.png': { hash: '2d6b1af3a956c529e79ca3d2526fa834d4196c81cedd04de0a26b855fc99b724', quality: 100 },
  'camera.png': { hash: 'dc9c9d3b746978f888f40ce6e5c3f70f7266623e8d989cb99f21f2010841e1c7', quality: 100 },
  'chelsea.png': { hash: '5feb5321f01da156898e2bf629a5d3438412cdbd23f48942464526315db33ffd', quality: 100 },
  'coffee.png': { hash: '8c629e779a663698b9a33866c026726c21a679f61eb6e1f8c79ba7e23c8299e0', quality: 100 },
  'coins.png': { hash: '8ee552196df86aa552b514e6e505e0319aeb1aaea4a5d935dd4a675a1a56a555', quality: 100 },
  'horse.png': { hash: '690d885b2f16c1de5966d6f2fa01a2d8a857ae1eb5d645d6d93634b001a5e92f', quality: 100 },
  'motorcycle_right.png': {
    hash: '0d8918d7d393d3b418f048d42b5a2b59ee46dee55baabe0fbb6441eb44e1c470',
    quality: 100,
  },
  'no_time_for_that_tiny.gif': {
    hash: '90e665894edb39ad931794a9392569244b176b2c9925e4dd96a5e4cc6cdbb331',
    quality: 100,
  },
  'page.png': { hash: '965b26d62ed3636b192ccdddcc91d88c3925812979849815e37b1cce4732a6fb', quality: 100 },
  'palette_color.png': {
    hash: '1e31c6f113b866cee1e0ac54ec4753a93e9e9931ee47390e61cec3e4e944f903',
    quality: 100,
  },
  'text.png': { hash: 'f46721c01b1bd9936bb5cde6660a8a12430c6c9d25d95e47cbe2a6b89d6e6786', quality: 100 },
};

/** Meta's pdq-photo-hasher tool end to end (ImageMagick decode, CImg 512×512 nearest resize, hash). */
export const SHARED_TOOL: Record<string, ReferenceHash> = {
  'CLIP.png': { hash: 'f930b528ecad494a3f859291be1a6dad43eedb2711322a30f1792922c5c6cecf', quality: 100 },
  'astronaut.png': { hash: '2d6b1af3a956c529e79ca3d2526fa834d4196c81cedd04de0a26b855fc99b724', quality: 100 },
  'camera.png': { hash: 'dc9c9d3b746978f888f40ce6e5c3f70f7266623e8d989cb99f21f2010841e1c7', quality: 100 },
  'chelsea.png': { hash: '5feb5321f01da156898e2bf629a5d3438412cdbd23f48942464526315db33ffd', quality: 100 },
  'coffee.png': { hash: '88629e779a663698f9833866c027727c21a679f61eb6e1f8c79b27e27c0299e0', quality: 100 },
  'coins.png': { hash: '8ee552196df86aa552b514e6e505e0319aeb1aaea4a5d935dd4a675a1a56a555', quality: 100 },
  'horse.png': { hash: '690d885b2f16c1de5966d6f2fa01a2d8a857ae1eb5d645d6d93634b001a5e92f', quality: 100 },
  'motorcycle_right.png': {
    hash: '0d8918d7d393d3b418f048d42b5a2b59ee46dee55baabe0fbb6441ebc4e18470',
    quality: 100,
  },
  'page.png': { hash: '965b26d62ed3636b192ccdddcc91d88c3925812979849815e37b1cce4732a6fb', quality: 100 },
  'palette_color.png': {
    hash: '1e31c6f113b866cee1e0ac54ec4753a93e9e9931ee47390e61cec3e4e944f903',
    quality: 100,
  },
  'text.png': { hash: 'f46721c01b1bd9936bb5cde6660a8a12430c6c9d25d95e47cbe2a6b89d6e6786', quality: 100 },
  'hubble_deep_field.jpg': {
    hash: '1ce735e66266630f729429a232cad397e70e86be9c60dc59a42ec39c3379b919',
    quality: 100,
  },
  'rocket.jpg': { hash: '8793786c8f9370e4af1bc0e43f1fc0e03f1cc2633da482537cac821b2cecf376', quality: 100 },
  'no_time_for_that_tiny.gif': {
    hash: '90e665894edb39ad931794a9392569244b176b2c9925e4dd96a5e4cc6cdbb331',
    quality: 100,
  },
  'chessboard_GRAY_U16.tif': {
    hash: '1f2a15003f2aff2abf2aff2abf2aff2a00d500d5bf2a00d5bf2a00d5bf2a00d5',
    quality: 100,
  },
  'multipage.tif': { hash: 'fe8f9c3121da6c4c369db39227dc3c0ddb27ec44a4d4c6e596b5780a64c8748e', quality: 60 },
};

/** The tool on the synthetic images written as PNG (large-waves exercises the 512 resize). */
export const SYNTHETIC_TOOL: Record<string, ReferenceHash> = {
  'checker-64': { hash: '772220f5f720085d572802550055287f085dd728dd2057007d08552875205580', quality: 100 },
  'faint-waves': { hash: '1c5360001f5de0001fffe0001fffe0001fffe0001fff1fffe0001fffe0001fff', quality: 0 },
  flat: { hash: '000000002c4b11342c4b2c4b0000554b00002c4b113411342c4b585e2c4b017e', quality: 0 },
  gradient: { hash: '5555aaaa5555aaaa5555aaaa5555aaaa5555aaaa5555aaaa5545aaaa5555aaea', quality: 14 },
  'grey-ramp': { hash: 'a555aaaab872aaaa52aaaaaa77295aaaa555aaaa6a5aaaaa5aaaaaaa4ae5aaaa', quality: 100 },
  'large-waves': { hash: 'e8ff0300e8ff0300f8ff0700f8fff8ff0700f8ff0300e8ff0300e8ff0300e8ff', quality: 100 },
  noise: { hash: '2de464216cb965a4dd5d36cf810521ad00e1f362721ac2c37953f6c56d7dc79e', quality: 100 },
  'soft-waves': { hash: 'bc0003effc2083fffc0003fffc0003fffc0003fffc0003ff03fffc0003fffc00', quality: 27 },
  tiny: { hash: '0000000000000000000000000000000000000000000000000000000000000000', quality: 0 },
  'waves-16': { hash: 'fc0403fbfc0003fffc0003fffc0003fffc0003fffc0003ff03fffc0003fffc00', quality: 48 },
  'waves-17': { hash: 'fc0003fffc0003fffc0003fffc0003fffc0003fffc0003ff03fffc0003fffc00', quality: 52 },
  waves: { hash: '54aaab5554aaab5554aaab5554aaab55ab5554aaab5554aaab5554aaab5554aa', quality: 100 },
};
