//! The serialized policy stream (binary-format §1, §2): the profile-record
//! writer and, beside it, a reader that decodes any blob.
