/* The sandbox's table library: insert, remove, move, concat, unpack and sort replaced by versions of Lua
 * 5.4's ltablib.c that charge the work they do inside one C call to the instruction budget (the range they
 * walk; sort per partition, about n log n), read the length once, and choose sort's pivots from a
 * deterministic sequence instead of clock() and time() (sandbox.c explains why).
 *
Adapted from Lua 5.4, whose copyright notice and permission notice follow.
 *
 * Copyright (C) 1994-2022 Lua.org, PUC-Rio.
 *
 * Permission is hereby granted, free of charge, to any person obtaining a copy of this software and
 * associated documentation files (the "Software"), to deal in the Software without restriction,
 * including without limitation the rights to use, copy, modify, merge, publish, distribute, sublicense,
 * and/or sell copies of the Software, and to permit persons to whom the Software is furnished to do so,
 * subject to the following conditions:
 *
 * The above copyright notice and this permission notice shall be included in all copies or substantial
 * portions of the Software.
 *
 * THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT NOT
 * LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN
 * NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY,
 * WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE
 * SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.
 */
#include "scenario/sandbox-private.h"

#include <limits.h>

#define TAB_R 1
#define TAB_W 2
#define TAB_L 4
#define TAB_RW (TAB_R | TAB_W)

static int
check_field(lua_State *L, const char *key, int n)
{
  lua_pushstring(L, key);
  return lua_rawget(L, -n) != LUA_TNIL;
}

static void
check_tab(lua_State *L, int arg, int what)
{
  if (lua_type(L, arg) != LUA_TTABLE) {
    int n = 1;
    if (lua_getmetatable(L, arg) && (!(what & TAB_R) || check_field(L, "__index", ++n)) &&
        (!(what & TAB_W) || check_field(L, "__newindex", ++n)) &&
        (!(what & TAB_L) || check_field(L, "__len", ++n)))
      lua_pop(L, n);
    else
      luaL_checktype(L, arg, LUA_TTABLE);
  }
}

static lua_Integer
aux_getn(lua_State *L, int arg, int what)
{
  check_tab(L, arg, what | TAB_L);
  return luaL_len(L, arg);
}

/* Number of elements in [from, to], saturated. */
static lua_Unsigned
range_length(lua_Integer from, lua_Integer to)
{
  if (to < from)
    return 0;
  lua_Unsigned d = (lua_Unsigned) to - (lua_Unsigned) from;
  return d == (lua_Unsigned) -1 ? d : d + 1;
}

static int
sb_tinsert(lua_State *L)
{
  TsSandbox *sb = sandbox_of(L);
  lua_Integer e = aux_getn(L, 1, TAB_RW);
  lua_Integer pos;
  e = luaL_intop(+, e, 1); /* first empty element */
  switch (lua_gettop(L)) {
  case 2:
    pos = e;
    break;
  case 3:
    pos = luaL_checkinteger(L, 2);
    luaL_argcheck(L, (lua_Unsigned) pos - 1u < (lua_Unsigned) e, 2, "position out of bounds");
    sandbox_charge(sb, L, range_length(pos, e - 1));
    for (lua_Integer i = e; i > pos; i--) {
      lua_geti(L, 1, i - 1);
      lua_seti(L, 1, i);
    }
    break;
  default:
    return luaL_error(L, "wrong number of arguments to 'insert'");
  }
  lua_seti(L, 1, pos);
  return 0;
}

static int
sb_tremove(lua_State *L)
{
  TsSandbox *sb = sandbox_of(L);
  lua_Integer size = aux_getn(L, 1, TAB_RW);
  lua_Integer pos = luaL_optinteger(L, 2, size);
  if (pos != size)
    luaL_argcheck(L, (lua_Unsigned) pos - 1u <= (lua_Unsigned) size, 2, "position out of bounds");
  sandbox_charge(sb, L, range_length(pos, size - 1));
  lua_geti(L, 1, pos);
  for (; pos < size; pos++) {
    lua_geti(L, 1, pos + 1);
    lua_seti(L, 1, pos);
  }
  lua_pushnil(L);
  lua_seti(L, 1, pos);
  return 1;
}

static int
sb_tmove(lua_State *L)
{
  TsSandbox *sb = sandbox_of(L);
  lua_Integer f = luaL_checkinteger(L, 2);
  lua_Integer e = luaL_checkinteger(L, 3);
  lua_Integer t = luaL_checkinteger(L, 4);
  int tt = !lua_isnoneornil(L, 5) ? 5 : 1;
  check_tab(L, 1, TAB_R);
  check_tab(L, tt, TAB_W);
  if (e >= f) {
    luaL_argcheck(L, f > 0 || e < LUA_MAXINTEGER + f, 3, "too many elements to move");
    lua_Integer n = e - f + 1;
    luaL_argcheck(L, t <= LUA_MAXINTEGER - n + 1, 4, "destination wrap around");
    sandbox_charge(sb, L, (lua_Unsigned) n);
    if (t > e || t <= f || (tt != 1 && !lua_compare(L, 1, tt, LUA_OPEQ))) {
      for (lua_Integer i = 0; i < n; i++) {
        lua_geti(L, 1, f + i);
        lua_seti(L, tt, t + i);
      }
    } else {
      for (lua_Integer i = n - 1; i >= 0; i--) {
        lua_geti(L, 1, f + i);
        lua_seti(L, tt, t + i);
      }
    }
  }
  lua_pushvalue(L, tt);
  return 1;
}

static void
concat_field(lua_State *L, luaL_Buffer *b, lua_Integer i)
{
  lua_geti(L, 1, i);
  if (!lua_isstring(L, -1))
    luaL_error(L, "invalid value (at index %I) in table for 'concat'", (LUAI_UACINT) i);
  luaL_addvalue(b);
}

static int
sb_tconcat(lua_State *L)
{
  TsSandbox *sb = sandbox_of(L);
  luaL_Buffer b;
  size_t lsep;
  lua_Integer last;
  check_tab(L, 1, TAB_R);
  const char *sep = luaL_optlstring(L, 2, "", &lsep);
  lua_Integer i = luaL_optinteger(L, 3, 1);
  if (lua_isnoneornil(L, 4))
    last = aux_getn(L, 1, TAB_R);
  else
    last = luaL_checkinteger(L, 4);
  sandbox_charge(sb, L, range_length(i, last));
  luaL_buffinit(L, &b);
  for (; i < last; i++) {
    concat_field(L, &b, i);
    luaL_addlstring(&b, sep, lsep);
  }
  if (i == last)
    concat_field(L, &b, i);
  luaL_pushresult(&b);
  return 1;
}

static int
sb_tunpack(lua_State *L)
{
  TsSandbox *sb = sandbox_of(L);
  lua_Integer i = luaL_optinteger(L, 2, 1);
  lua_Integer e = lua_isnoneornil(L, 3) ? luaL_len(L, 1) : luaL_checkinteger(L, 3);
  if (i > e)
    return 0;
  lua_Unsigned n = (lua_Unsigned) e - (lua_Unsigned) i; /* number of elements minus 1 */
  if (n >= (unsigned int) INT_MAX || !lua_checkstack(L, (int) (++n)))
    return luaL_error(L, "too many results to unpack");
  sandbox_charge(sb, L, n);
  for (; i < e; i++)
    lua_geti(L, 1, i);
  lua_geti(L, 1, e);
  return (int) n;
}

typedef unsigned int IdxT;
#define SORT_RANLIMIT 100u

static void
sort_set2(lua_State *L, IdxT i, IdxT j)
{
  lua_seti(L, 1, i);
  lua_seti(L, 1, j);
}

static int
sort_comp(lua_State *L, int a, int b)
{
  if (lua_isnil(L, 2))
    return lua_compare(L, a, b, LUA_OPLT);
  lua_pushvalue(L, 2);
  lua_pushvalue(L, a - 1);
  lua_pushvalue(L, b - 2);
  lua_call(L, 2, 1);
  int res = lua_toboolean(L, -1);
  lua_pop(L, 1);
  return res;
}

static IdxT
sort_partition(lua_State *L, IdxT lo, IdxT up)
{
  IdxT i = lo;
  IdxT j = up - 1;
  for (;;) {
    while (lua_geti(L, 1, ++i), sort_comp(L, -1, -2)) {
      if (i == up - 1)
        luaL_error(L, "invalid order function for sorting");
      lua_pop(L, 1);
    }
    while (lua_geti(L, 1, --j), sort_comp(L, -3, -1)) {
      if (j < i)
        luaL_error(L, "invalid order function for sorting");
      lua_pop(L, 1);
    }
    if (j < i) {
      lua_pop(L, 1);
      sort_set2(L, up - 1, i);
      return i;
    }
    sort_set2(L, i, j);
  }
}

static IdxT
sort_choose_pivot(IdxT lo, IdxT up, unsigned int rnd)
{
  IdxT r4 = (up - lo) / 4;
  return rnd % (r4 * 2) + (lo + r4);
}

/* Replaces l_randomizePivot (clock() and time()): deterministic, never 0. */
static unsigned int
sort_next_random(unsigned int rnd, IdxT lo, IdxT up)
{
  rnd = rnd * 1103515245u + 12345u + (up - lo);
  return rnd != 0 ? rnd : 1u;
}

static void
sort_aux(TsSandbox *sb, lua_State *L, IdxT lo, IdxT up, unsigned int rnd)
{
  while (lo < up) {
    IdxT p, n;
    sandbox_charge(sb, L, (lua_Unsigned) (up - lo) + 1);
    lua_geti(L, 1, lo);
    lua_geti(L, 1, up);
    if (sort_comp(L, -1, -2))
      sort_set2(L, lo, up);
    else
      lua_pop(L, 2);
    if (up - lo == 1)
      break;
    if (up - lo < SORT_RANLIMIT || rnd == 0)
      p = (lo + up) / 2;
    else
      p = sort_choose_pivot(lo, up, rnd);
    lua_geti(L, 1, p);
    lua_geti(L, 1, lo);
    if (sort_comp(L, -2, -1)) {
      sort_set2(L, p, lo);
    } else {
      lua_pop(L, 1);
      lua_geti(L, 1, up);
      if (sort_comp(L, -1, -2))
        sort_set2(L, p, up);
      else
        lua_pop(L, 2);
    }
    if (up - lo == 2)
      break;
    lua_geti(L, 1, p);
    lua_pushvalue(L, -1);
    lua_geti(L, 1, up - 1);
    sort_set2(L, p, up - 1);
    p = sort_partition(L, lo, up);
    if (p - lo < up - p) {
      sort_aux(sb, L, lo, p - 1, rnd);
      n = p - lo;
      lo = p + 1;
    } else {
      sort_aux(sb, L, p + 1, up, rnd);
      n = up - p;
      up = p - 1;
    }
    if ((up - lo) / 128 > n)
      rnd = sort_next_random(rnd, lo, up);
  }
}

static int
sb_tsort(lua_State *L)
{
  TsSandbox *sb = sandbox_of(L);
  lua_Integer n = aux_getn(L, 1, TAB_RW);
  if (n > 1) {
    luaL_argcheck(L, n < INT_MAX, 1, "array too big");
    if (!lua_isnoneornil(L, 2))
      luaL_checktype(L, 2, LUA_TFUNCTION);
    lua_settop(L, 2);
    sort_aux(sb, L, 1, (IdxT) n, 0);
  }
  return 0;
}

/* Replace the functions above in the table library at index `table`. */
void
sandbox_table_install(lua_State *L, int table)
{
  sandbox_set_cfunction(L, table, "insert", sb_tinsert);
  sandbox_set_cfunction(L, table, "remove", sb_tremove);
  sandbox_set_cfunction(L, table, "move", sb_tmove);
  sandbox_set_cfunction(L, table, "concat", sb_tconcat);
  sandbox_set_cfunction(L, table, "unpack", sb_tunpack);
  sandbox_set_cfunction(L, table, "sort", sb_tsort);
}
