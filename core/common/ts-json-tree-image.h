/* For the tree cache (common/ts-json-cache.c) alone: a TsJsonDoc made of a cached image's blocks. */
#ifndef TS_JSON_TREE_IMAGE_H
#define TS_JSON_TREE_IMAGE_H

#include "common/ts-json-tree.h"

/* A doc that owns (g_free) `image` (which the tree's strings point into) and `values` (its containers' children
 * and member names), with `root` copied; it counts as the strict parser's reading. */
TsJsonDoc *ts_json_doc_new_from_image(gpointer image, gpointer values, const TsJsonValue *root);

#endif
