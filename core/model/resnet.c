/* ResNet-50 v1.5 as operations (models.resnet50), torchvision's layout (torchvision.models.resnet50; He et
 * al. 2016, Table 1, with the stride of each downsampling bottleneck on its 3x3 convolution, as in v1.5):
 *   stem     7x7/2 convolution 3 -> 64, batch norm, ReLU, 3x3/2 max pool
 *   stages   3, 4, 6, 3 bottlenecks of width 64, 128, 256, 512 (output 4 x width), the first of stages
 *            2-4 with stride 2: 1x1 reduce, BN, ReLU, 3x3 (stride), BN, ReLU, 1x1 expand, BN; the first
 *            block of each stage adds a 1x1 projection (stride) + BN on the skip; residual add, ReLU
 *   head     global average pool, fully connected 2048 -> classes (+ bias), softmax loss
 * 53 convolutions and the FC: 25,557,032 parameters at 1000 classes (convolutions without bias; batch norm
 * scale and shift), 4.09 G multiply-adds forward at 224x224 (tests/test-model.c, /model/resnet50/...).
 *
 * A convolution is the product of its im2col view: rows = images x output pixels, k = in channels x
 * kernel area, n = out channels; its launch reads the input tensor once and writes the output.  Not split
 * by tensor, context or pipeline parallelism (ops.c refuses). */
#include "model/model-private.h"

typedef struct {
  GArray *ops;
  const TsModelOpContext *ctx;
} Net;

/* A k x k convolution of stride s, `times` identical ones; returns the output side. */
static double
conv(Net *net, const char *name, double side, double c_in, double c_out, double kernel, double stride, double times,
     gboolean first)
{
  double out_side = side / stride, micro = net->ctx->micro;
  double pixels = micro * out_side * out_side;
  ModelProduct p = {.name = name, .m = pixels, .n = c_out, .k = c_in * kernel * kernel,
                    .in = micro * side * side * c_in, .out = pixels * c_out, .params = c_in * kernel * kernel * c_out,
                    .times = times, .no_data_grad = first, .recomputed = TRUE};
  model_product(net->ops, net->ctx, &p);
  return out_side;
}

/* Where a batch norm's output goes, which decides what a convolution-fused implementation leaves of its forward
 * pass (ctx->batch_norm): into a ReLU and the next convolution (the bottleneck's first two), or into the block's
 * residual add (the third and the projection's), or into a ReLU and the stem's max pool. */
typedef enum { BN_BEFORE_CONV, BN_BEFORE_ADD, BN_STEM } BnPlace;

/* Batch norm in training: its statistics are over the whole batch and image, so unlike a layer norm they do
 * not stay on chip: forward reads x for the statistics, then reads x and writes y (3v); backward reads dy
 * and x for the two reductions, then reads them again and writes dx (5v).  Scale and shift per channel.
 * Fusible: its per-channel statistics can be accumulated in the epilogue of the convolution that writes x
 * and its scale, shift and ReLU applied in the prologue of the next one (cuDNN's fused "GenStats" and
 * "ScaleBiasRelu" convolutions, NVIDIA's MLPerf ResNet-50; XLA fuses the same passes into its convolution
 * fusions), which a layer norm's per-row statistics across a product's output tiles do not allow.
 *
 * A run that states its implementation (r:train's `batch_norm`; NVIDIA's MXNet ResNet-50 in
 * mlcommons/training_results_v2.0 and v4.0, symbols/resnet-v1b-stats-fl.py and resnet-v1b-mainloop-fl.py)
 * keeps the forward passes that implementation launches, the backward ones as above (the symbol files show the
 * forward graph only):
 * - conv_stats: the convolution that writes x sums its statistics ("Convolution Stats-Gen", then
 *   BNStatsFinalize), so no read for them (2v); a norm before a convolution is applied with its ReLU by one
 *   ScaleBiasAddRelu pass (the ReLU's own pass is gone); the block's last norms (and the projection's) are
 *   applied inside the pass that adds the skip and applies the ReLU (the residual pass, 3v: it reads the branch
 *   and the skip and writes the sum), so they and the block's ReLU have no pass of their own;
 * - conv_fused: as conv_stats, and a norm before a convolution has no forward pass at all: that convolution
 *   applies the scale, shift and ReLU as it loads its input ("Stats-Apply Relu Convolution Stats-Gen");
 * the stem's norm is a batch-norm kernel in both files ("batchnorm(...)" before the pooling): as separate. */
static double
bn_forward(const TsModelOpContext *ctx, BnPlace place)
{
  if (ctx->batch_norm == TS_BATCH_NORM_SEPARATE || place == BN_STEM)
    return 3;
  if (place == BN_BEFORE_ADD)
    return 0;
  return ctx->batch_norm == TS_BATCH_NORM_CONV_FUSED ? 0 : 2;
}

static void
batch_norm(Net *net, double side, double channels, double times, BnPlace place)
{
  double v = net->ctx->value_bytes;
  ModelStream s = {.kind = "norm", .name = "bn", .elements = net->ctx->micro * side * side * channels,
                   .fwd = bn_forward(net->ctx, place) * v, .bwd = 5 * v, .params = 2 * channels, .times = times,
                   .fusible = TRUE, .recomputed = TRUE};
  model_stream(net->ops, net->ctx, &s);
}

/* ReLU: forward 2v; backward reads dy and the output, writes dx (3v).  Residual add: 3v both ways (the
 * backward adds the gradients of the skip and the branch where the block's input forks). */
static void
elementwise(Net *net, const char *name, double side, double channels, double fwd, double bwd, double times)
{
  double v = net->ctx->value_bytes;
  ModelStream s = {.kind = "elementwise", .name = name, .elements = net->ctx->micro * side * side * channels,
                   .fwd = fwd * v, .bwd = bwd * v, .times = times, .fusible = TRUE, .recomputed = TRUE};
  model_stream(net->ops, net->ctx, &s);
}

/* A ReLU after a batch norm: its forward pass is part of the norm's where the implementation fuses them
 * (bn_forward: conv_stats and conv_fused, except in the stem). */
static void
relu(Net *net, double side, double channels, double times, BnPlace place)
{
  gboolean own = net->ctx->batch_norm == TS_BATCH_NORM_SEPARATE || place == BN_STEM;
  elementwise(net, "relu", side, channels, own ? 2 : 0, 3, times);
}

/* One bottleneck, `times` identical ones; returns the output side. */
static double
bottleneck(Net *net, double side, double c_in, double width, double stride, double times, gboolean project)
{
  conv(net, "conv1x1.reduce", side, c_in, width, 1, 1, times, FALSE);
  batch_norm(net, side, width, times, BN_BEFORE_CONV);
  relu(net, side, width, times, BN_BEFORE_CONV);
  double out = conv(net, "conv3x3", side, width, width, 3, stride, times, FALSE);
  batch_norm(net, out, width, times, BN_BEFORE_CONV);
  relu(net, out, width, times, BN_BEFORE_CONV);
  conv(net, "conv1x1.expand", out, width, 4 * width, 1, 1, times, FALSE);
  batch_norm(net, out, 4 * width, times, BN_BEFORE_ADD);
  if (project) {
    conv(net, "conv1x1.project", side, c_in, 4 * width, 1, stride, times, FALSE);
    batch_norm(net, out, 4 * width, times, BN_BEFORE_ADD);
  }
  elementwise(net, "residual", out, 4 * width, 3, 3, times);
  relu(net, out, 4 * width, times, BN_BEFORE_ADD);
  return out;
}

/* Pooling from `side` to `out_side`: forward reads the input and writes the output; backward (cuDNN's
 * pooling backward takes x, y and dy) reads all three and writes dx. */
static void
pool(Net *net, const char *name, double side, double out_side, double channels)
{
  double v = net->ctx->value_bytes, ratio = out_side * out_side / (side * side);
  ModelStream s = {.kind = "pool", .name = name, .elements = net->ctx->micro * side * side * channels,
                   .fwd = (1 + ratio) * v, .bwd = (2 + 2 * ratio) * v, .times = 1, .recomputed = TRUE};
  model_stream(net->ops, net->ctx, &s);
}

void
model_resnet50_append(const TsModel *m, const TsModelOpContext *ctx, GArray *ops)
{
  static const double widths[4] = {64, 128, 256, 512}, blocks[4] = {3, 4, 6, 3};
  Net net = {ops, ctx};
  double side = conv(&net, "conv.stem", m->image, 3, 64, 7, 2, 1, TRUE);
  batch_norm(&net, side, 64, 1, BN_STEM);
  relu(&net, side, 64, 1, BN_STEM);
  pool(&net, "maxpool", side, side / 2, 64);
  side /= 2;
  double channels = 64;
  for (int s = 0; s < 4; s++) {
    double stride = s == 0 ? 1 : 2;
    side = bottleneck(&net, side, channels, widths[s], stride, 1, TRUE);
    channels = 4 * widths[s];
    bottleneck(&net, side, channels, widths[s], 1, blocks[s] - 1, FALSE);
  }
  pool(&net, "avgpool", side, 1, channels);
  ModelProduct fc = {.name = "fc", .m = ctx->micro, .n = m->classes, .k = channels, .in = ctx->micro * channels,
                     .out = ctx->micro * m->classes, .params = channels * m->classes + m->classes, .times = 1,
                     .wide = TRUE};
  model_product(ops, ctx, &fc);
  ModelStream loss = {.kind = "softmax", .name = "loss", .elements = ctx->micro * m->classes,
                      .fwd = ctx->value_bytes, .bwd = 2 * ctx->value_bytes, .times = 1};
  model_stream(ops, ctx, &loss);
}
