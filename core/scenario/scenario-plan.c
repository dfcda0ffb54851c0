/* What a scenario offers `trainsim plan` to choose from: its global plan = { clusters = ..., precisions = ... }
 * (docs/scenario-api.md, "Hardware for `trainsim plan` to choose from"), read as the scenario's own cluster is. */
#include "scenario/scenario-private.h"

#include "common/ts-error.h"

#include <lauxlib.h>
#include <string.h>

/* plan.precisions: a list of precision names (what `trainsim plan` may train in besides the script's). */
static const char *
read_plan_precisions(lua_State *L, int plan, GArray *out)
{
  ts_lua_rawfield(L, plan, "precisions");
  int list = lua_gettop(L);
  const char *problem = NULL;
  if (lua_isnil(L, list)) {
    lua_pop(L, 1);
    return NULL;
  }
  if (!lua_istable(L, list) || lua_rawlen(L, list) == 0)
    problem = "plan.precisions: expected a list of one or more precisions (\"bf16\", \"fp8\", ...)";
  for (lua_Integer i = 1; problem == NULL && i <= (lua_Integer) lua_rawlen(L, list); i++) {
    lua_rawgeti(L, list, i);
    TsPrecision p;
    if (lua_type(L, -1) != LUA_TSTRING || !ts_precision_from_name(lua_tostring(L, -1), &p))
      problem = "plan.precisions: each entry is a precision name: fp32, tf32, fp16, bf16, fp8 or int8";
    else if (out != NULL)
      g_array_append_val(out, p);
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
  return problem;
}

/* The script's global plan = { clusters = { cluster{...}, ... }, precisions = { ... } } (trainsim plan's hardware
 * and precisions to choose from), each cluster read as the scenario's own is; an empty array when there is no
 * plan table.  The precisions go to `precisions` when it is not NULL. */
GPtrArray *
scenario_read_plan_clusters(lua_State *L, TsBindings *b, const char *path, GArray *precisions, GError **error)
{
  GPtrArray *out = g_ptr_array_new_with_free_func((GDestroyNotify) ts_cluster_free);
  lua_rawgeti(L, LUA_REGISTRYINDEX, LUA_RIDX_GLOBALS);
  lua_pushstring(L, "plan");
  lua_rawget(L, -2);
  lua_remove(L, -2);
  int plan = lua_gettop(L);
  const char *problem = NULL;
  if (lua_isnil(L, plan)) {
    lua_pop(L, 1);
    return out;
  }
  if (!lua_istable(L, plan))
    problem = "expected a table plan = { clusters = { cluster{...}, ... }, precisions = { ... } }";
  else {
    lua_pushnil(L);
    while (problem == NULL && lua_next(L, plan) != 0) {
      const char *k = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : "";
      if (strcmp(k, "clusters") != 0 && strcmp(k, "precisions") != 0)
        problem = "plan has two fields, clusters (the clusters to choose from) and precisions; it has another";
      lua_pop(L, 1);
      if (problem != NULL)
        lua_pop(L, 1);
    }
  }
  if (problem == NULL)
    problem = read_plan_precisions(L, plan, precisions);
  if (problem == NULL) {
    ts_lua_rawfield(L, plan, "clusters");
    int list = lua_gettop(L);
    if (!lua_isnil(L, list) && (!lua_istable(L, list) || lua_rawlen(L, list) == 0))
      problem = "plan.clusters: expected a list of one or more cluster{...}";
    for (lua_Integer i = 1; problem == NULL && lua_istable(L, list) && i <= (lua_Integer) lua_rawlen(L, list); i++) {
      lua_rawgeti(L, list, i);
      TsCluster *c = lua_istable(L, -1) ? ts_bindings_to_cluster(L, -1, b, error) : NULL;
      lua_pop(L, 1);
      if (c == NULL) {
        if (error != NULL && *error != NULL)
          g_prefix_error(error, "%s: plan.clusters[%d]: ", path, (int) i);
        else
          g_set_error(error, TS_ERROR, TS_ERROR_SCENARIO, "%s: plan.clusters[%d]: expected a cluster{...}", path,
                      (int) i);
        lua_pop(L, 2);
        g_ptr_array_unref(out);
        return NULL;
      }
      g_ptr_array_add(out, c);
    }
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
  if (problem != NULL) {
    g_set_error(error, TS_ERROR, TS_ERROR_SCENARIO, "%s: %s", path, problem);
    g_ptr_array_unref(out);
    return NULL;
  }
  return out;
}
