#!/usr/bin/env python3
"""Generates Opcode.g.cs and OpcodeTable.g.cs from the table below (the single source of truth).

Row: code mnemonic immediate signature [feature] [align=N] [lanes=N] [name=EnumName]
  code:       byte (plain) or PP:sub for prefixed opcodes (hex)
  signature:  pops:pushes with i=i32 l=i64 f=f32 d=f64 v=v128 r=funcref x=externref e=exnref,
              or '-' when the validator handles the instruction specially.
Run: python3 gen-opcodes.py  (writes next to this script)
"""
import os, re

ROWS = r"""
00 unreachable None - mvp
01 nop None : mvp
02 block BlockType - mvp
03 loop BlockType - mvp
04 if BlockType - mvp
05 else None - mvp
06 try BlockType - legacy-exceptions
07 catch TagIndex - legacy-exceptions
08 throw TagIndex - exceptions
09 rethrow LabelIndex - legacy-exceptions
0A throw_ref None - exceptions
0B end None - mvp
0C br LabelIndex - mvp
0D br_if LabelIndex - mvp
0E br_table BrTable - mvp
0F return None - mvp
10 call FunctionIndex - mvp
11 call_indirect CallIndirect - mvp
12 return_call FunctionIndex - tail-call
13 return_call_indirect CallIndirect - tail-call
18 delegate LabelIndex - legacy-exceptions
19 catch_all None - legacy-exceptions
1A drop None - mvp
1B select None - mvp
1C select SelectTypes - reference-types name=SelectTyped
1F try_table TryTable - exceptions
20 local.get LocalIndex - mvp
21 local.set LocalIndex - mvp
22 local.tee LocalIndex - mvp
23 global.get GlobalIndex - mvp
24 global.set GlobalIndex - mvp
25 table.get TableIndex - reference-types
26 table.set TableIndex - reference-types
28 i32.load MemArg i:i mvp align=2
29 i64.load MemArg i:l mvp align=3
2A f32.load MemArg i:f mvp align=2
2B f64.load MemArg i:d mvp align=3
2C i32.load8_s MemArg i:i mvp align=0
2D i32.load8_u MemArg i:i mvp align=0
2E i32.load16_s MemArg i:i mvp align=1
2F i32.load16_u MemArg i:i mvp align=1
30 i64.load8_s MemArg i:l mvp align=0
31 i64.load8_u MemArg i:l mvp align=0
32 i64.load16_s MemArg i:l mvp align=1
33 i64.load16_u MemArg i:l mvp align=1
34 i64.load32_s MemArg i:l mvp align=2
35 i64.load32_u MemArg i:l mvp align=2
36 i32.store MemArg ii: mvp align=2
37 i64.store MemArg il: mvp align=3
38 f32.store MemArg if: mvp align=2
39 f64.store MemArg id: mvp align=3
3A i32.store8 MemArg ii: mvp align=0
3B i32.store16 MemArg ii: mvp align=1
3C i64.store8 MemArg il: mvp align=0
3D i64.store16 MemArg il: mvp align=1
3E i64.store32 MemArg il: mvp align=2
3F memory.size MemoryIndex :i mvp
40 memory.grow MemoryIndex i:i mvp
41 i32.const I32 :i mvp
42 i64.const I64 :l mvp
43 f32.const F32 :f mvp
44 f64.const F64 :d mvp
45 i32.eqz None i:i mvp
46 i32.eq None ii:i mvp
47 i32.ne None ii:i mvp
48 i32.lt_s None ii:i mvp
49 i32.lt_u None ii:i mvp
4A i32.gt_s None ii:i mvp
4B i32.gt_u None ii:i mvp
4C i32.le_s None ii:i mvp
4D i32.le_u None ii:i mvp
4E i32.ge_s None ii:i mvp
4F i32.ge_u None ii:i mvp
50 i64.eqz None l:i mvp
51 i64.eq None ll:i mvp
52 i64.ne None ll:i mvp
53 i64.lt_s None ll:i mvp
54 i64.lt_u None ll:i mvp
55 i64.gt_s None ll:i mvp
56 i64.gt_u None ll:i mvp
57 i64.le_s None ll:i mvp
58 i64.le_u None ll:i mvp
59 i64.ge_s None ll:i mvp
5A i64.ge_u None ll:i mvp
5B f32.eq None ff:i mvp
5C f32.ne None ff:i mvp
5D f32.lt None ff:i mvp
5E f32.gt None ff:i mvp
5F f32.le None ff:i mvp
60 f32.ge None ff:i mvp
61 f64.eq None dd:i mvp
62 f64.ne None dd:i mvp
63 f64.lt None dd:i mvp
64 f64.gt None dd:i mvp
65 f64.le None dd:i mvp
66 f64.ge None dd:i mvp
67 i32.clz None i:i mvp
68 i32.ctz None i:i mvp
69 i32.popcnt None i:i mvp
6A i32.add None ii:i mvp
6B i32.sub None ii:i mvp
6C i32.mul None ii:i mvp
6D i32.div_s None ii:i mvp
6E i32.div_u None ii:i mvp
6F i32.rem_s None ii:i mvp
70 i32.rem_u None ii:i mvp
71 i32.and None ii:i mvp
72 i32.or None ii:i mvp
73 i32.xor None ii:i mvp
74 i32.shl None ii:i mvp
75 i32.shr_s None ii:i mvp
76 i32.shr_u None ii:i mvp
77 i32.rotl None ii:i mvp
78 i32.rotr None ii:i mvp
79 i64.clz None l:l mvp
7A i64.ctz None l:l mvp
7B i64.popcnt None l:l mvp
7C i64.add None ll:l mvp
7D i64.sub None ll:l mvp
7E i64.mul None ll:l mvp
7F i64.div_s None ll:l mvp
80 i64.div_u None ll:l mvp
81 i64.rem_s None ll:l mvp
82 i64.rem_u None ll:l mvp
83 i64.and None ll:l mvp
84 i64.or None ll:l mvp
85 i64.xor None ll:l mvp
86 i64.shl None ll:l mvp
87 i64.shr_s None ll:l mvp
88 i64.shr_u None ll:l mvp
89 i64.rotl None ll:l mvp
8A i64.rotr None ll:l mvp
8B f32.abs None f:f mvp
8C f32.neg None f:f mvp
8D f32.ceil None f:f mvp
8E f32.floor None f:f mvp
8F f32.trunc None f:f mvp
90 f32.nearest None f:f mvp
91 f32.sqrt None f:f mvp
92 f32.add None ff:f mvp
93 f32.sub None ff:f mvp
94 f32.mul None ff:f mvp
95 f32.div None ff:f mvp
96 f32.min None ff:f mvp
97 f32.max None ff:f mvp
98 f32.copysign None ff:f mvp
99 f64.abs None d:d mvp
9A f64.neg None d:d mvp
9B f64.ceil None d:d mvp
9C f64.floor None d:d mvp
9D f64.trunc None d:d mvp
9E f64.nearest None d:d mvp
9F f64.sqrt None d:d mvp
A0 f64.add None dd:d mvp
A1 f64.sub None dd:d mvp
A2 f64.mul None dd:d mvp
A3 f64.div None dd:d mvp
A4 f64.min None dd:d mvp
A5 f64.max None dd:d mvp
A6 f64.copysign None dd:d mvp
A7 i32.wrap_i64 None l:i mvp
A8 i32.trunc_f32_s None f:i mvp
A9 i32.trunc_f32_u None f:i mvp
AA i32.trunc_f64_s None d:i mvp
AB i32.trunc_f64_u None d:i mvp
AC i64.extend_i32_s None i:l mvp
AD i64.extend_i32_u None i:l mvp
AE i64.trunc_f32_s None f:l mvp
AF i64.trunc_f32_u None f:l mvp
B0 i64.trunc_f64_s None d:l mvp
B1 i64.trunc_f64_u None d:l mvp
B2 f32.convert_i32_s None i:f mvp
B3 f32.convert_i32_u None i:f mvp
B4 f32.convert_i64_s None l:f mvp
B5 f32.convert_i64_u None l:f mvp
B6 f32.demote_f64 None d:f mvp
B7 f64.convert_i32_s None i:d mvp
B8 f64.convert_i32_u None i:d mvp
B9 f64.convert_i64_s None l:d mvp
BA f64.convert_i64_u None l:d mvp
BB f64.promote_f32 None f:d mvp
BC i32.reinterpret_f32 None f:i mvp
BD i64.reinterpret_f64 None d:l mvp
BE f32.reinterpret_i32 None i:f mvp
BF f64.reinterpret_i64 None l:d mvp
C0 i32.extend8_s None i:i sign-extension
C1 i32.extend16_s None i:i sign-extension
C2 i64.extend8_s None l:l sign-extension
C3 i64.extend16_s None l:l sign-extension
C4 i64.extend32_s None l:l sign-extension
D0 ref.null RefType - reference-types
D1 ref.is_null None - reference-types
D2 ref.func FunctionIndex - reference-types
FC:00 i32.trunc_sat_f32_s None f:i saturating-float-to-int
FC:01 i32.trunc_sat_f32_u None f:i saturating-float-to-int
FC:02 i32.trunc_sat_f64_s None d:i saturating-float-to-int
FC:03 i32.trunc_sat_f64_u None d:i saturating-float-to-int
FC:04 i64.trunc_sat_f32_s None f:l saturating-float-to-int
FC:05 i64.trunc_sat_f32_u None f:l saturating-float-to-int
FC:06 i64.trunc_sat_f64_s None d:l saturating-float-to-int
FC:07 i64.trunc_sat_f64_u None d:l saturating-float-to-int
FC:08 memory.init MemoryInit iii: bulk-memory
FC:09 data.drop DataIndex : bulk-memory
FC:0A memory.copy MemoryCopy iii: bulk-memory
FC:0B memory.fill MemoryFill iii: bulk-memory
FC:0C table.init TableInit iii: reference-types
FC:0D elem.drop ElementIndex : reference-types
FC:0E table.copy TableCopy iii: reference-types
FC:0F table.grow TableIndex - reference-types
FC:10 table.size TableIndex :i reference-types
FC:11 table.fill TableIndex - reference-types
"""

# SIMD: (sub, mnemonic, immediate, signature, extra)
SIMD = r"""
00 v128.load MemArg i:v align=4
01 v128.load8x8_s MemArg i:v align=3
02 v128.load8x8_u MemArg i:v align=3
03 v128.load16x4_s MemArg i:v align=3
04 v128.load16x4_u MemArg i:v align=3
05 v128.load32x2_s MemArg i:v align=3
06 v128.load32x2_u MemArg i:v align=3
07 v128.load8_splat MemArg i:v align=0
08 v128.load16_splat MemArg i:v align=1
09 v128.load32_splat MemArg i:v align=2
0A v128.load64_splat MemArg i:v align=3
0B v128.store MemArg iv: align=4
0C v128.const V128 :v
0D i8x16.shuffle Shuffle vv:v
0E i8x16.swizzle None vv:v
0F i8x16.splat None i:v
10 i16x8.splat None i:v
11 i32x4.splat None i:v
12 i64x2.splat None l:v
13 f32x4.splat None f:v
14 f64x2.splat None d:v
15 i8x16.extract_lane_s Lane v:i lanes=16
16 i8x16.extract_lane_u Lane v:i lanes=16
17 i8x16.replace_lane Lane vi:v lanes=16
18 i16x8.extract_lane_s Lane v:i lanes=8
19 i16x8.extract_lane_u Lane v:i lanes=8
1A i16x8.replace_lane Lane vi:v lanes=8
1B i32x4.extract_lane Lane v:i lanes=4
1C i32x4.replace_lane Lane vi:v lanes=4
1D i64x2.extract_lane Lane v:l lanes=2
1E i64x2.replace_lane Lane vl:v lanes=2
1F f32x4.extract_lane Lane v:f lanes=4
20 f32x4.replace_lane Lane vf:v lanes=4
21 f64x2.extract_lane Lane v:d lanes=2
22 f64x2.replace_lane Lane vd:v lanes=2
23 i8x16.eq None vv:v
24 i8x16.ne None vv:v
25 i8x16.lt_s None vv:v
26 i8x16.lt_u None vv:v
27 i8x16.gt_s None vv:v
28 i8x16.gt_u None vv:v
29 i8x16.le_s None vv:v
2A i8x16.le_u None vv:v
2B i8x16.ge_s None vv:v
2C i8x16.ge_u None vv:v
2D i16x8.eq None vv:v
2E i16x8.ne None vv:v
2F i16x8.lt_s None vv:v
30 i16x8.lt_u None vv:v
31 i16x8.gt_s None vv:v
32 i16x8.gt_u None vv:v
33 i16x8.le_s None vv:v
34 i16x8.le_u None vv:v
35 i16x8.ge_s None vv:v
36 i16x8.ge_u None vv:v
37 i32x4.eq None vv:v
38 i32x4.ne None vv:v
39 i32x4.lt_s None vv:v
3A i32x4.lt_u None vv:v
3B i32x4.gt_s None vv:v
3C i32x4.gt_u None vv:v
3D i32x4.le_s None vv:v
3E i32x4.le_u None vv:v
3F i32x4.ge_s None vv:v
40 i32x4.ge_u None vv:v
41 f32x4.eq None vv:v
42 f32x4.ne None vv:v
43 f32x4.lt None vv:v
44 f32x4.gt None vv:v
45 f32x4.le None vv:v
46 f32x4.ge None vv:v
47 f64x2.eq None vv:v
48 f64x2.ne None vv:v
49 f64x2.lt None vv:v
4A f64x2.gt None vv:v
4B f64x2.le None vv:v
4C f64x2.ge None vv:v
4D v128.not None v:v
4E v128.and None vv:v
4F v128.andnot None vv:v
50 v128.or None vv:v
51 v128.xor None vv:v
52 v128.bitselect None vvv:v
53 v128.any_true None v:i
54 v128.load8_lane MemArgLane iv:v align=0 lanes=16
55 v128.load16_lane MemArgLane iv:v align=1 lanes=8
56 v128.load32_lane MemArgLane iv:v align=2 lanes=4
57 v128.load64_lane MemArgLane iv:v align=3 lanes=2
58 v128.store8_lane MemArgLane iv: align=0 lanes=16
59 v128.store16_lane MemArgLane iv: align=1 lanes=8
5A v128.store32_lane MemArgLane iv: align=2 lanes=4
5B v128.store64_lane MemArgLane iv: align=3 lanes=2
5C v128.load32_zero MemArg i:v align=2
5D v128.load64_zero MemArg i:v align=3
5E f32x4.demote_f64x2_zero None v:v
5F f64x2.promote_low_f32x4 None v:v
60 i8x16.abs None v:v
61 i8x16.neg None v:v
62 i8x16.popcnt None v:v
63 i8x16.all_true None v:i
64 i8x16.bitmask None v:i
65 i8x16.narrow_i16x8_s None vv:v
66 i8x16.narrow_i16x8_u None vv:v
67 f32x4.ceil None v:v
68 f32x4.floor None v:v
69 f32x4.trunc None v:v
6A f32x4.nearest None v:v
6B i8x16.shl None vi:v
6C i8x16.shr_s None vi:v
6D i8x16.shr_u None vi:v
6E i8x16.add None vv:v
6F i8x16.add_sat_s None vv:v
70 i8x16.add_sat_u None vv:v
71 i8x16.sub None vv:v
72 i8x16.sub_sat_s None vv:v
73 i8x16.sub_sat_u None vv:v
74 f64x2.ceil None v:v
75 f64x2.floor None v:v
76 i8x16.min_s None vv:v
77 i8x16.min_u None vv:v
78 i8x16.max_s None vv:v
79 i8x16.max_u None vv:v
7A f64x2.trunc None v:v
7B i8x16.avgr_u None vv:v
7C i16x8.extadd_pairwise_i8x16_s None v:v
7D i16x8.extadd_pairwise_i8x16_u None v:v
7E i32x4.extadd_pairwise_i16x8_s None v:v
7F i32x4.extadd_pairwise_i16x8_u None v:v
80 i16x8.abs None v:v
81 i16x8.neg None v:v
82 i16x8.q15mulr_sat_s None vv:v
83 i16x8.all_true None v:i
84 i16x8.bitmask None v:i
85 i16x8.narrow_i32x4_s None vv:v
86 i16x8.narrow_i32x4_u None vv:v
87 i16x8.extend_low_i8x16_s None v:v
88 i16x8.extend_high_i8x16_s None v:v
89 i16x8.extend_low_i8x16_u None v:v
8A i16x8.extend_high_i8x16_u None v:v
8B i16x8.shl None vi:v
8C i16x8.shr_s None vi:v
8D i16x8.shr_u None vi:v
8E i16x8.add None vv:v
8F i16x8.add_sat_s None vv:v
90 i16x8.add_sat_u None vv:v
91 i16x8.sub None vv:v
92 i16x8.sub_sat_s None vv:v
93 i16x8.sub_sat_u None vv:v
94 f64x2.nearest None v:v
95 i16x8.mul None vv:v
96 i16x8.min_s None vv:v
97 i16x8.min_u None vv:v
98 i16x8.max_s None vv:v
99 i16x8.max_u None vv:v
9B i16x8.avgr_u None vv:v
9C i16x8.extmul_low_i8x16_s None vv:v
9D i16x8.extmul_high_i8x16_s None vv:v
9E i16x8.extmul_low_i8x16_u None vv:v
9F i16x8.extmul_high_i8x16_u None vv:v
A0 i32x4.abs None v:v
A1 i32x4.neg None v:v
A3 i32x4.all_true None v:i
A4 i32x4.bitmask None v:i
A7 i32x4.extend_low_i16x8_s None v:v
A8 i32x4.extend_high_i16x8_s None v:v
A9 i32x4.extend_low_i16x8_u None v:v
AA i32x4.extend_high_i16x8_u None v:v
AB i32x4.shl None vi:v
AC i32x4.shr_s None vi:v
AD i32x4.shr_u None vi:v
AE i32x4.add None vv:v
B1 i32x4.sub None vv:v
B5 i32x4.mul None vv:v
B6 i32x4.min_s None vv:v
B7 i32x4.min_u None vv:v
B8 i32x4.max_s None vv:v
B9 i32x4.max_u None vv:v
BA i32x4.dot_i16x8_s None vv:v
BC i32x4.extmul_low_i16x8_s None vv:v
BD i32x4.extmul_high_i16x8_s None vv:v
BE i32x4.extmul_low_i16x8_u None vv:v
BF i32x4.extmul_high_i16x8_u None vv:v
C0 i64x2.abs None v:v
C1 i64x2.neg None v:v
C3 i64x2.all_true None v:i
C4 i64x2.bitmask None v:i
C7 i64x2.extend_low_i32x4_s None v:v
C8 i64x2.extend_high_i32x4_s None v:v
C9 i64x2.extend_low_i32x4_u None v:v
CA i64x2.extend_high_i32x4_u None v:v
CB i64x2.shl None vi:v
CC i64x2.shr_s None vi:v
CD i64x2.shr_u None vi:v
CE i64x2.add None vv:v
D1 i64x2.sub None vv:v
D5 i64x2.mul None vv:v
D6 i64x2.eq None vv:v
D7 i64x2.ne None vv:v
D8 i64x2.lt_s None vv:v
D9 i64x2.gt_s None vv:v
DA i64x2.le_s None vv:v
DB i64x2.ge_s None vv:v
DC i64x2.extmul_low_i32x4_s None vv:v
DD i64x2.extmul_high_i32x4_s None vv:v
DE i64x2.extmul_low_i32x4_u None vv:v
DF i64x2.extmul_high_i32x4_u None vv:v
E0 f32x4.abs None v:v
E1 f32x4.neg None v:v
E3 f32x4.sqrt None v:v
E4 f32x4.add None vv:v
E5 f32x4.sub None vv:v
E6 f32x4.mul None vv:v
E7 f32x4.div None vv:v
E8 f32x4.min None vv:v
E9 f32x4.max None vv:v
EA f32x4.pmin None vv:v
EB f32x4.pmax None vv:v
EC f64x2.abs None v:v
ED f64x2.neg None v:v
EF f64x2.sqrt None v:v
F0 f64x2.add None vv:v
F1 f64x2.sub None vv:v
F2 f64x2.mul None vv:v
F3 f64x2.div None vv:v
F4 f64x2.min None vv:v
F5 f64x2.max None vv:v
F6 f64x2.pmin None vv:v
F7 f64x2.pmax None vv:v
F8 i32x4.trunc_sat_f32x4_s None v:v
F9 i32x4.trunc_sat_f32x4_u None v:v
FA f32x4.convert_i32x4_s None v:v
FB f32x4.convert_i32x4_u None v:v
FC i32x4.trunc_sat_f64x2_s_zero None v:v
FD i32x4.trunc_sat_f64x2_u_zero None v:v
FE f64x2.convert_low_i32x4_s None v:v
FF f64x2.convert_low_i32x4_u None v:v
"""

RELAXED = r"""
100 i8x16.relaxed_swizzle None vv:v
101 i32x4.relaxed_trunc_f32x4_s None v:v
102 i32x4.relaxed_trunc_f32x4_u None v:v
103 i32x4.relaxed_trunc_f64x2_s_zero None v:v
104 i32x4.relaxed_trunc_f64x2_u_zero None v:v
105 f32x4.relaxed_madd None vvv:v
106 f32x4.relaxed_nmadd None vvv:v
107 f64x2.relaxed_madd None vvv:v
108 f64x2.relaxed_nmadd None vvv:v
109 i8x16.relaxed_laneselect None vvv:v
10A i16x8.relaxed_laneselect None vvv:v
10B i32x4.relaxed_laneselect None vvv:v
10C i64x2.relaxed_laneselect None vvv:v
10D f32x4.relaxed_min None vv:v
10E f32x4.relaxed_max None vv:v
10F f64x2.relaxed_min None vv:v
110 f64x2.relaxed_max None vv:v
111 i16x8.relaxed_q15mulr_s None vv:v
112 i16x8.relaxed_dot_i8x16_i7x16_s None vv:v
113 i32x4.relaxed_dot_i8x16_i7x16_add_s None vvv:v
"""

ATOMICS = r"""
00 memory.atomic.notify MemArg ii:i align=2
01 memory.atomic.wait32 MemArg iil:i align=2
02 memory.atomic.wait64 MemArg ill:i align=3
03 atomic.fence AtomicFence :
10 i32.atomic.load MemArg i:i align=2
11 i64.atomic.load MemArg i:l align=3
12 i32.atomic.load8_u MemArg i:i align=0
13 i32.atomic.load16_u MemArg i:i align=1
14 i64.atomic.load8_u MemArg i:l align=0
15 i64.atomic.load16_u MemArg i:l align=1
16 i64.atomic.load32_u MemArg i:l align=2
17 i32.atomic.store MemArg ii: align=2
18 i64.atomic.store MemArg il: align=3
19 i32.atomic.store8 MemArg ii: align=0
1A i32.atomic.store16 MemArg ii: align=1
1B i64.atomic.store8 MemArg il: align=0
1C i64.atomic.store16 MemArg il: align=1
1D i64.atomic.store32 MemArg il: align=2
"""

def atomics_rmw():
    rows = []
    code = 0x1E
    for op in ["add", "sub", "and", "or", "xor", "xchg", "cmpxchg"]:
        three = op == "cmpxchg"
        for (name, align, t) in [("i32.atomic.rmw.%s", 2, "i"), ("i64.atomic.rmw.%s", 3, "l"),
                                 ("i32.atomic.rmw8.%s_u", 0, "i"), ("i32.atomic.rmw16.%s_u", 1, "i"),
                                 ("i64.atomic.rmw8.%s_u", 0, "l"), ("i64.atomic.rmw16.%s_u", 1, "l"),
                                 ("i64.atomic.rmw32.%s_u", 2, "l")]:
            sig = "i" + t + (t if three else "") + ":" + t
            rows.append("%X %s MemArg %s align=%d" % (code, name % op, sig, align))
            code += 1
    return "\n".join(rows)

def enum_name(mnemonic):
    parts = re.split(r"[._]", mnemonic)
    return "".join(p[:1].upper() + p[1:] for p in parts)

def parse(text, prefix, default_feature):
    out = []
    for line in text.strip().splitlines():
        f = line.split()
        if not f: continue
        code = f[0]
        if ":" in code:
            p, s = code.split(":")
            prefix_, sub = int(p, 16), int(s, 16)
        else:
            prefix_, sub = prefix, int(code, 16)
        mnem, imm, sig = f[1], f[2], f[3]
        rest = f[4:]
        feature = default_feature
        align, lanes, name = -1, 0, enum_name(mnem)
        for r in rest:
            if r.startswith("align="): align = int(r[6:])
            elif r.startswith("lanes="): lanes = int(r[6:])
            elif r.startswith("name="): name = r[5:]
            else: feature = r
        if align >= 0 and prefix_ == 0xFE:
            pass
        value = (prefix_ << 16) | sub if prefix_ else sub
        out.append(dict(value=value, mnem=mnem, imm=imm, sig=sig, feature=feature, align=align, lanes=lanes, name=name))
    return out

ops = parse(ROWS, 0, "mvp") + parse(SIMD, 0xFD, "simd") + parse(RELAXED, 0xFD, "relaxed-simd") \
    + parse(ATOMICS + "\n" + atomics_rmw(), 0xFE, "threads")

FEATURES = {"mvp": "Mvp", "sign-extension": "SignExtension", "saturating-float-to-int": "SaturatingFloatToInt",
            "bulk-memory": "BulkMemory", "reference-types": "ReferenceTypes", "simd": "Simd",
            "relaxed-simd": "RelaxedSimd", "tail-call": "TailCall", "exceptions": "Exceptions",
            "legacy-exceptions": "LegacyExceptions", "threads": "Threads"}

names = set()
for o in ops:
    assert o["name"] not in names, o["name"]
    names.add(o["name"])

here = os.path.dirname(os.path.abspath(__file__))
header = "// <auto-generated>Generated by gen-opcodes.py from its opcode table; do not edit.</auto-generated>\n"
with open(os.path.join(here, "Opcode.g.cs"), "w") as w:
    w.write(header)
    w.write("namespace Dwarfsmith.Wasm.Instructions;\n\n")
    w.write("/// <summary>\n/// Every instruction the codec knows. Plain opcodes are their byte; prefixed ones (0xFC, 0xFD, 0xFE) are\n")
    w.write("/// <c>(prefix &lt;&lt; 16) | subopcode</c>. Metadata lives in <see cref=\"OpcodeTable\"/>.\n/// </summary>\n")
    w.write("public enum Opcode\n{\n")
    for o in ops:
        w.write("    /// <summary><c>%s</c></summary>\n" % o["mnem"])
        w.write("    %s = 0x%X,\n" % (o["name"], o["value"]))
    w.write("}\n")

with open(os.path.join(here, "OpcodeTable.g.cs"), "w") as w:
    w.write(header)
    w.write("namespace Dwarfsmith.Wasm.Instructions;\n\n")
    w.write("public static partial class OpcodeTable\n{\n")
    w.write("    private static OpcodeInfo[] CreateAll() =>\n    [\n")
    for o in ops:
        sig = o["sig"]
        if sig == "-":
            pops, pushes = "null", "null"
        else:
            a, b = sig.split(":")
            pops, pushes = '"%s"' % a, '"%s"' % b
        w.write('        new(Opcode.%s, "%s", ImmediateKind.%s, Feature.%s, %s, %s, %d, %d),\n'
                % (o["name"], o["mnem"], o["imm"], FEATURES[o["feature"]], pops, pushes, o["align"], o["lanes"]))
    w.write("    ];\n}\n")
print(len(ops), "opcodes")
