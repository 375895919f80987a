// The email list's filters as query parameters (issue 16): list-emails, list-user-emails
// and count-emails take them after their own, in this order: from, to (created_at in
// [from, to); an open end is the widest bound), a LIKE pattern for the subject or the
// client's name or email (NULL: no search), and the journey step (NULL: any).
#pragma once

#include "store/sql/sql_backend.h"
#include "store/store.h"

namespace rkd {

void AddEmailFilterParams(const EmailQuery& query, SqlParams& params);

}  // namespace rkd
