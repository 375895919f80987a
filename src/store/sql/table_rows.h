// The stored shape of each table, written once for every dialect: how a row of users,
// orders, emails and user_changes reads into its domain type (the columns in the order
// the named queries select them), and the parameters of the statements that write one.
// Pure; thread-safe.
#pragma once

#include <string>

#include "domain/email.h"
#include "domain/journey.h"
#include "domain/order.h"
#include "domain/user.h"
#include "domain/user_change.h"
#include "store/sql/sql_backend.h"

namespace rkd {

// users: user_id, email, name, last_order_date, order_count, average_order_value,
// preferred_categories, engagement_score, last_email_date, created_at, updated_at,
// time_zone (NULL: the shop's), external_id (NULL: none), total_spent_cents,
// first_order_date.
User ReadUser(const SqlRow& row);
// "insert-user" takes every column; "update-user" every column but created_at.
SqlParams InsertUserParams(const User& user);
SqlParams UpdateUserParams(const User& user);

// orders: order_id, user_id, order_date, total_value, items, status, created_at, external_id.
Order ReadOrder(const SqlRow& row);
SqlParams InsertOrderParams(const Order& order);

// emails: email_id, user_id, subject, content, html, generated_at,
// engagement_score_at_time, status, writer, sent_at, error, created_at, prompt_tokens,
// completion_tokens, opened_at, clicked_at, converted_at, conversion_revenue,
// episode_id, step, targeting_rule, experiment_id, variant.
Email ReadEmail(const SqlRow& row);
// "insert-email": the email's columns, the trigger it answers and its send lease's end.
SqlParams InsertEmailParams(const Email& email, const std::string& trigger_id, Millis claimed_until);

// episodes: episode_id, user_id, number, journey_version, started_at, step, steps,
// next_due_at, ended_at, end_reason, targeting_rule; "insert-episode" and "advance-episode" take them all.
Episode ReadEpisode(const SqlRow& row);
SqlParams EpisodeParams(const Episode& episode);

// user_changes: seq, user_id, op, old_image, new_image, changed_at. A MODIFY keeps its
// new image whole and its old one as the fields that differ, with their old values
// (a diff has no "userId"; a whole image, as older records hold, has); ReadChange gives
// both whole. Fails on an image that does not parse.
Result<UserChange> ReadChange(const SqlRow& row);
SqlParams InsertChangeParams(ChangeOp op, const User* old_image, const User* new_image, Millis changed_at);

}  // namespace rkd
