"""AttnGAN's DAMSM losses as its released code computes them (taoxugit/AttnGAN:
code/miscc/losses.py's cosine_similarity, words_loss and sent_loss; code/GlobalAttention.py's
func_attention), transcribed into torch: the reference of the DAMSM vectors (generate.py, float64
with autograd) and the peer of bench/damsm.py (float32, as AttnGAN trains).

The transcription keeps the code's operations and their order; what changes is what autograd and
a library call need: cfg.TRAIN.SMOOTH.GAMMA1/2/3 become arguments, the in-place mul_/exp_ and
masked_fill_ on .data become their out-of-place forms (the same values; a masked entry's gradient
is 0 either way), the labels are arange(B), and the two nn.CrossEntropyLoss terms are kept per
sample (reduction='none', summed per sample) so that 'none' and 'sum' can be checked; their mean
is the code's loss0 + loss1. sent_loss's squeeze() becomes view(B, B), the same for B > 1 (at
B = 1 the code fails).
"""
import numpy as np
import torch


def attngan_cosine_similarity(x1, x2, dim=1, eps=1e-8):
    w12 = torch.sum(x1 * x2, dim)
    w1 = torch.norm(x1, 2, dim)
    w2 = torch.norm(x2, 2, dim)
    return (w12 / (w1 * w2).clamp(min=eps)).squeeze()


def attngan_func_attention(query, context, gamma1):
    """query: batch x ndf x queryL; context: batch x ndf x sourceL (the 17 x 17 regions flattened)."""
    batch_size, queryL = query.size(0), query.size(2)
    sourceL = context.size(2)
    context = context.view(batch_size, -1, sourceL)
    contextT = torch.transpose(context, 1, 2).contiguous()
    attn = torch.bmm(contextT, query)  # Eq. (7)
    attn = attn.view(batch_size * sourceL, queryL)
    attn = torch.nn.Softmax(dim=1)(attn)  # Eq. (8)
    attn = attn.view(batch_size, sourceL, queryL)
    attn = torch.transpose(attn, 1, 2).contiguous()
    attn = attn.view(batch_size * queryL, sourceL)
    attn = attn * gamma1  # Eq. (9)
    attn = torch.nn.Softmax(dim=1)(attn)
    attn = attn.view(batch_size, queryL, sourceL)
    attnT = torch.transpose(attn, 1, 2).contiguous()
    weightedContext = torch.bmm(context, attnT)
    return weightedContext, attn


def attngan_class_masks(class_ids, batch_size):
    masks = []
    for i in range(batch_size):
        mask = (class_ids == class_ids[i]).astype(np.uint8)
        mask[i] = 0
        masks.append(mask.reshape((1, -1)))
    return torch.from_numpy(np.concatenate(masks, 0)).to(torch.bool)


def attngan_words_scores(img_features, words_emb, cap_lens, class_ids, gamma1, gamma2, gamma3):
    """words_loss up to its cross entropies: the masked B x B similarities times gamma3."""
    batch_size = img_features.size(0)
    similarities = []
    for i in range(batch_size):
        words_num = int(cap_lens[i])
        word = words_emb[i, :, :words_num].unsqueeze(0).contiguous()
        word = word.repeat(batch_size, 1, 1)
        context = img_features
        weiContext, attn = attngan_func_attention(word, context, gamma1)
        word = word.transpose(1, 2).contiguous()
        weiContext = weiContext.transpose(1, 2).contiguous()
        word = word.view(batch_size * words_num, -1)
        weiContext = weiContext.view(batch_size * words_num, -1)
        row_sim = attngan_cosine_similarity(word, weiContext)
        row_sim = row_sim.view(batch_size, words_num)
        row_sim = row_sim.mul(gamma2).exp()  # Eq. (10)
        row_sim = row_sim.sum(dim=1, keepdim=True)
        row_sim = torch.log(row_sim)
        similarities.append(row_sim)
    similarities = torch.cat(similarities, 1)
    similarities = similarities * gamma3
    if class_ids is not None:
        similarities = similarities.masked_fill(attngan_class_masks(class_ids, batch_size), -float('inf'))
    return similarities


def attngan_sent_scores(cnn_code, rnn_code, class_ids, gamma3, eps=1e-8):
    """sent_loss up to its cross entropies."""
    batch_size = cnn_code.size(0)
    if cnn_code.dim() == 2:
        cnn_code = cnn_code.unsqueeze(0)
        rnn_code = rnn_code.unsqueeze(0)
    cnn_code_norm = torch.norm(cnn_code, 2, dim=2, keepdim=True)
    rnn_code_norm = torch.norm(rnn_code, 2, dim=2, keepdim=True)
    scores0 = torch.bmm(cnn_code, rnn_code.transpose(1, 2))
    norm0 = torch.bmm(cnn_code_norm, rnn_code_norm.transpose(1, 2))
    scores0 = scores0 / norm0.clamp(min=eps) * gamma3
    scores0 = scores0.view(batch_size, batch_size)
    if class_ids is not None:
        scores0 = scores0.masked_fill(attngan_class_masks(class_ids, batch_size), -float('inf'))
    return scores0


def attngan_per_sample(scores):
    """Sample j's image->text term (row j) plus its text->image term (column j), label j."""
    labels = torch.arange(scores.size(0))
    ce = torch.nn.CrossEntropyLoss(reduction='none')
    return ce(scores, labels) + ce(scores.transpose(0, 1), labels)
