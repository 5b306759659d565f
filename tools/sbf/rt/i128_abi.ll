; i128_abi.ll: the compiler's 128-bit integer libcalls with LLVM's own by-value i128 convention.
;
; LLVM legalizes i128 mul/div/rem on BPF into calls to __multi3/__udivti3/__umodti3/__divti3/__modti3 and
; passes/returns the i128 values by value (split into 64-bit registers). compiler_builtins, compiled by rustc,
; instead takes and returns i128 through memory on bpf, so calling it corrupts memory. These definitions are
; lowered by the same LLVM as the calls, so both sides agree; the work is done by the u64-only helpers in
; sbf_rt.rs. The definitions are strong and override compiler_builtins' weak ones at link time.
target datalayout = "e-m:e-p:64:64-i64:64-i128:128-n32:64-S128"
target triple = "bpfel"

declare void @__sbf_mul128(i64, i64, i64, i64, ptr)
declare void @__sbf_udivmod128(i64, i64, i64, i64, ptr)
declare void @__sbf_divmod128(i64, i64, i64, i64, ptr)

define i128 @__multi3(i128 %a, i128 %b) #0 {
  %out = alloca [4 x i64], align 8
  %alo = trunc i128 %a to i64
  %a.s = lshr i128 %a, 64
  %ahi = trunc i128 %a.s to i64
  %blo = trunc i128 %b to i64
  %b.s = lshr i128 %b, 64
  %bhi = trunc i128 %b.s to i64
  call void @__sbf_mul128(i64 %alo, i64 %ahi, i64 %blo, i64 %bhi, ptr %out)
  %p.lo = getelementptr inbounds i64, ptr %out, i64 0
  %p.hi = getelementptr inbounds i64, ptr %out, i64 1
  %lo = load i64, ptr %p.lo, align 8
  %hi = load i64, ptr %p.hi, align 8
  %lo.w = zext i64 %lo to i128
  %hi.w = zext i64 %hi to i128
  %hi.s = shl i128 %hi.w, 64
  %r = or i128 %hi.s, %lo.w
  ret i128 %r
}

define i128 @__udivti3(i128 %a, i128 %b) #0 {
  %out = alloca [4 x i64], align 8
  %alo = trunc i128 %a to i64
  %a.s = lshr i128 %a, 64
  %ahi = trunc i128 %a.s to i64
  %blo = trunc i128 %b to i64
  %b.s = lshr i128 %b, 64
  %bhi = trunc i128 %b.s to i64
  call void @__sbf_udivmod128(i64 %alo, i64 %ahi, i64 %blo, i64 %bhi, ptr %out)
  %p.lo = getelementptr inbounds i64, ptr %out, i64 0
  %p.hi = getelementptr inbounds i64, ptr %out, i64 1
  %lo = load i64, ptr %p.lo, align 8
  %hi = load i64, ptr %p.hi, align 8
  %lo.w = zext i64 %lo to i128
  %hi.w = zext i64 %hi to i128
  %hi.s = shl i128 %hi.w, 64
  %r = or i128 %hi.s, %lo.w
  ret i128 %r
}

define i128 @__umodti3(i128 %a, i128 %b) #0 {
  %out = alloca [4 x i64], align 8
  %alo = trunc i128 %a to i64
  %a.s = lshr i128 %a, 64
  %ahi = trunc i128 %a.s to i64
  %blo = trunc i128 %b to i64
  %b.s = lshr i128 %b, 64
  %bhi = trunc i128 %b.s to i64
  call void @__sbf_udivmod128(i64 %alo, i64 %ahi, i64 %blo, i64 %bhi, ptr %out)
  %p.lo = getelementptr inbounds i64, ptr %out, i64 2
  %p.hi = getelementptr inbounds i64, ptr %out, i64 3
  %lo = load i64, ptr %p.lo, align 8
  %hi = load i64, ptr %p.hi, align 8
  %lo.w = zext i64 %lo to i128
  %hi.w = zext i64 %hi to i128
  %hi.s = shl i128 %hi.w, 64
  %r = or i128 %hi.s, %lo.w
  ret i128 %r
}

define i128 @__divti3(i128 %a, i128 %b) #0 {
  %out = alloca [4 x i64], align 8
  %alo = trunc i128 %a to i64
  %a.s = lshr i128 %a, 64
  %ahi = trunc i128 %a.s to i64
  %blo = trunc i128 %b to i64
  %b.s = lshr i128 %b, 64
  %bhi = trunc i128 %b.s to i64
  call void @__sbf_divmod128(i64 %alo, i64 %ahi, i64 %blo, i64 %bhi, ptr %out)
  %p.lo = getelementptr inbounds i64, ptr %out, i64 0
  %p.hi = getelementptr inbounds i64, ptr %out, i64 1
  %lo = load i64, ptr %p.lo, align 8
  %hi = load i64, ptr %p.hi, align 8
  %lo.w = zext i64 %lo to i128
  %hi.w = zext i64 %hi to i128
  %hi.s = shl i128 %hi.w, 64
  %r = or i128 %hi.s, %lo.w
  ret i128 %r
}

define i128 @__modti3(i128 %a, i128 %b) #0 {
  %out = alloca [4 x i64], align 8
  %alo = trunc i128 %a to i64
  %a.s = lshr i128 %a, 64
  %ahi = trunc i128 %a.s to i64
  %blo = trunc i128 %b to i64
  %b.s = lshr i128 %b, 64
  %bhi = trunc i128 %b.s to i64
  call void @__sbf_divmod128(i64 %alo, i64 %ahi, i64 %blo, i64 %bhi, ptr %out)
  %p.lo = getelementptr inbounds i64, ptr %out, i64 2
  %p.hi = getelementptr inbounds i64, ptr %out, i64 3
  %lo = load i64, ptr %p.lo, align 8
  %hi = load i64, ptr %p.hi, align 8
  %lo.w = zext i64 %lo to i128
  %hi.w = zext i64 %hi to i128
  %hi.s = shl i128 %hi.w, 64
  %r = or i128 %hi.s, %lo.w
  ret i128 %r
}

attributes #0 = { nounwind }
