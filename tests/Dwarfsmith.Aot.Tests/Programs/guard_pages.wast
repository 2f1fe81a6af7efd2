;; Out-of-bounds accesses through guard pages in the spec-test harness: each trap is caught (the
;; fault handler hands it to the harness's trap hook, which longjmps back to the command loop) and
;; the next command runs normally; accesses become valid when the memory grows; a second module's
;; memory has its own reservation.

(module
  (memory 1 3)
  (func (export "load") (param i32) (result i32) (i32.load (local.get 0)))
  (func (export "load_far") (param i32) (result i64) (i64.load offset=0xFFFFFFFF (local.get 0)))
  (func (export "load_f64") (param i32) (result f64) (f64.load offset=8 (local.get 0)))
  (func (export "store") (param i32 i32) (i32.store (local.get 0) (local.get 1)))
  (func (export "store_far") (param i32) (i64.store offset=0x80000000 (local.get 0) (i64.const 1)))
  (func (export "drop_load") (param i32) (drop (i32.load8_u offset=4 (local.get 0))))
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
)

(assert_trap (invoke "load" (i32.const 65533)) "out of bounds memory access")
(assert_return (invoke "load" (i32.const 65532)) (i32.const 0))
(assert_trap (invoke "store" (i32.const 65536) (i32.const 1)) "out of bounds memory access")
(assert_trap (invoke "drop_load" (i32.const 65532)) "out of bounds memory access")
(assert_trap (invoke "load_far" (i32.const 0)) "out of bounds memory access")
(assert_trap (invoke "load_far" (i32.const -1)) "out of bounds memory access")
(assert_trap (invoke "load_f64" (i32.const 65529)) "out of bounds memory access")
(assert_trap (invoke "store_far" (i32.const 0x7FFFFFFF)) "out of bounds memory access")
(assert_return (invoke "grow" (i32.const 1)) (i32.const 1))
(assert_return (invoke "store" (i32.const 131068) (i32.const 5)))
(assert_return (invoke "load" (i32.const 131068)) (i32.const 5))
(assert_trap (invoke "load" (i32.const 131069)) "out of bounds memory access")
(assert_trap (invoke "store" (i32.const 131069) (i32.const 9)) "out of bounds memory access")
(assert_return (invoke "load" (i32.const 131068)) (i32.const 5))
(assert_return (invoke "grow" (i32.const 1)) (i32.const 2))
(assert_return (invoke "load" (i32.const 131069)) (i32.const 0))
(assert_return (invoke "grow" (i32.const 1)) (i32.const -1))
(assert_trap (invoke "load" (i32.const 196608)) "out of bounds memory access")

(module $second
  (memory 0)
  (func (export "load") (param i32) (result i32) (i32.load (local.get 0)))
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
)
(assert_trap (invoke $second "load" (i32.const 0)) "out of bounds memory access")
(assert_return (invoke $second "grow" (i32.const 1)) (i32.const 0))
(assert_return (invoke $second "load" (i32.const 65532)) (i32.const 0))
(assert_trap (invoke $second "load" (i32.const 65533)) "out of bounds memory access")
