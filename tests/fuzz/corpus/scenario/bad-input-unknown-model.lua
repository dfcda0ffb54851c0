-- expect: models.resnet51 is not in the model catalog
local m = models.resnet51
