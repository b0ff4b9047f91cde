//! Rule encoding: policy-model rules to per-class match expressions and
//! permissions (binary-format §4, §5).
