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

/* Batch norm in training: its statistics are over the whole batch and image, so unlike a layer norm they do
 * not stay on chip: forward reads x for the statistics, then reads x and writes y (3v); backward reads dy
 * and x for the two reductions, then reads them again and writes dx (5v).  Scale and shift per channel.
 * Fusible: its per-channel statistics can be accumulated in the epilogue of the convolution that writes x
 * and its scale, shift and ReLU applied in the prologue of the next one (cuDNN's fused "GenStats" and
 * "ScaleBiasRelu" convolutions, NVIDIA's MLPerf ResNet-50; XLA fuses the same passes into its convolution
 * fusions), which a layer norm's per-row statistics across a product's output tiles do not allow. */
static void
batch_norm(Net *net, double side, double channels, double times)
{
  double v = net->ctx->value_bytes;
  ModelStream s = {.kind = "norm", .name = "bn", .elements = net->ctx->micro * side * side * channels,
                   .fwd = 3 * v, .bwd = 5 * v, .params = 2 * channels, .times = times, .fusible = TRUE,
                   .recomputed = TRUE};
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

static void
relu(Net *net, double side, double channels, double times)
{
  elementwise(net, "relu", side, channels, 2, 3, times);
}

/* One bottleneck, `times` identical ones; returns the output side. */
static double
bottleneck(Net *net, double side, double c_in, double width, double stride, double times, gboolean project)
{
  conv(net, "conv1x1.reduce", side, c_in, width, 1, 1, times, FALSE);
  batch_norm(net, side, width, times);
  relu(net, side, width, times);
  double out = conv(net, "conv3x3", side, width, width, 3, stride, times, FALSE);
  batch_norm(net, out, width, times);
  relu(net, out, width, times);
  conv(net, "conv1x1.expand", out, width, 4 * width, 1, 1, times, FALSE);
  batch_norm(net, out, 4 * width, times);
  if (project) {
    conv(net, "conv1x1.project", side, c_in, 4 * width, 1, stride, times, FALSE);
    batch_norm(net, out, 4 * width, times);
  }
  elementwise(net, "residual", out, 4 * width, 3, 3, times);
  relu(net, out, 4 * width, times);
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
  batch_norm(&net, side, 64, 1);
  relu(&net, side, 64, 1);
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
